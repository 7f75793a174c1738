"""The fake Bot API refuses what Telegram refuses: a fake that accepted everything would let bot bugs through."""

from __future__ import annotations

import aiohttp
import pytest

from bot.formatting import answer_message, passage_message, split_message
from bot.texts import LANGUAGES, Texts
from index.models import Answer, DocumentMeta, Passage
from tests.fake_telegram import TOKEN, FakeTelegram, Refused, parse_html, private_message


@pytest.mark.parametrize(
    ("html", "problem"),
    [
        ("Цена <b>5 < 7</b>", 'Unsupported start tag ""'),
        ("Протокол & соглашение", 'Unescaped "&"'),
        ("<b>жирный</i>", 'expected "</b>", found "</i>"'),
        ("<b>жирный", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<br>строка", 'Unsupported start tag "br"'),
        ("текст</b>", "Unexpected end tag"),
        ("<b", "Unclosed start tag"),
    ],
)
def test_html_that_telegram_cannot_parse_is_refused(html: str, problem: str) -> None:
    with pytest.raises(Refused) as refused:
        parse_html(html)
    assert refused.value.description.startswith("Bad Request: can't parse entities: ")
    assert problem in refused.value.description


def test_the_bots_own_html_parses() -> None:
    meta = DocumentMeta(title="Протокол <12> & приложения", source="Trend", place="Баку", date="2025-07-15")
    passage = Passage("doc.txt", meta.title, "Стороны <договорились> & подписали. " * 200, 0.9, meta)
    answer = Answer("Стороны <договорились> & подписали.", passage, 0, 35, 0.9)
    t = Texts("ru")
    for html in [*split_message(answer_message(answer, t)), *split_message(passage_message(passage, 2, 3, t))]:
        assert parse_html(html)
    assert parse_html('<a href="https://t.me/x">x</a> &lt;&#39;&#x41;&quot;&gt;') == "x <'A\">"
    for strings in LANGUAGES.values():
        for template in strings.values():  # every interface string is valid HTML once filled in
            parse_html(template.replace("{", "").replace("}", ""))


async def call(fake: FakeTelegram, method: str, **params) -> dict:
    async with aiohttp.ClientSession() as session, session.post(f"{fake.url}/bot{TOKEN}/{method}", json=params) as r:
        return await r.json()


async def test_replies_edits_and_lengths_follow_telegrams_rules() -> None:
    fake = FakeTelegram()
    await fake.start()
    try:
        fake.push(private_message(7, "вопрос", message_id=5))
        ok = await call(fake, "sendMessage", chat_id=7, text="ответ", reply_parameters={"message_id": 5})
        assert ok["ok"]
        fake.delete(7, 5)
        gone = await call(fake, "sendMessage", chat_id=7, text="ответ", reply_parameters={"message_id": 5})
        assert gone["description"] == "Bad Request: message to be replied not found"
        tolerant = {"message_id": 5, "allow_sending_without_reply": True}
        assert (await call(fake, "sendMessage", chat_id=7, text="ответ", reply_parameters=tolerant))["ok"]

        sent = ok["result"]["message_id"]
        same = await call(fake, "editMessageText", chat_id=7, message_id=sent, text="ответ")
        assert same["error_code"] == 400 and "message is not modified" in same["description"]
        assert (await call(fake, "editMessageText", chat_id=7, message_id=sent, text="ответ 2"))["ok"]
        flood = await call(fake, "editMessageText", chat_id=7, message_id=sent, text="ответ 3")
        assert flood["error_code"] == 429 and flood["parameters"]["retry_after"] >= 1

        long_html = "<b>" + "я" * 4096 + "</b>"  # 4103 characters of HTML, 4096 of text: fits
        assert (await call(fake, "sendMessage", chat_id=7, text=long_html, parse_mode="HTML"))["ok"]
        too_long = await call(fake, "sendMessage", chat_id=7, text="я" * 4097)
        assert too_long["description"] == "Bad Request: message is too long"
        caption = await call(fake, "sendPhoto", chat_id=7, photo="p1", caption="я" * 1025)
        assert caption["description"] == "Bad Request: message caption is too long"
        button = {"inline_keyboard": [[{"text": "ещё", "callback_data": "x" * 65}]]}
        data = await call(fake, "sendMessage", chat_id=7, text="ответ", reply_markup=button)
        assert data["description"] == "Bad Request: BUTTON_DATA_INVALID"
        assert len(fake.refused()) == 6
    finally:
        await fake.stop()
