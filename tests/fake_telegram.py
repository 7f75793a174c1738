"""A fake Bot API server on 127.0.0.1 for end-to-end tests: real HTTP, Telegram's rules where they matter.

The bot under test talks to it exactly as to Telegram (``TELEGRAM_API_URL``). Tests push updates, then
await the calls the bot made. Like Telegram, it refuses (HTTP 400/429, recorded as ``!method``):
- HTML that Telegram cannot parse with parse_mode=HTML: unknown or unbalanced tags, a bare ``<`` or ``&``;
- text over 4096 characters (after the markup is parsed), captions over 1024, callback data over 64 bytes;
- a reply to a message it does not know (deleted, or never sent) unless allow_sending_without_reply;
- an edit that changes nothing ("message is not modified"), and a second edit of one message within
  ``edit_flood_seconds`` (flood control: 429 with retry_after).
Scripted faults: per-method refusals, as Bot API JSON or not (a 404/500 ``{"message": ...}``, a proxy's
502 HTML page), slow responses, and a "down" switch that refuses connections.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import re
import time
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

BOT_USER = {"id": 4242, "is_bot": True, "first_name": "Commission", "username": "commission_test_bot"}
TOKEN = "4242:TEST-token-SECRET-value"
TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024
CALLBACK_DATA_LIMIT = 64  # bytes
MEDIA_METHODS = ("sendPhoto", "sendDocument", "sendVideo", "sendAudio", "sendVoice", "sendAnimation")


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    at: float = field(default_factory=time.monotonic)
    error: str = ""  # the refusal's description, for calls recorded as "!method"
    result: Any = None  # what the fake answered (a sent message carries its message_id)


@dataclass
class Raw:
    """A refusal that is not a Bot API response: what emulators, proxies and overloaded servers send."""

    status: int
    body: str
    content_type: str = "application/json"


NOT_FOUND_JSON = Raw(404, '{"message": "Not Found"}')
SERVER_ERROR_JSON = Raw(500, '{"message": "Internal Server Error"}')
PROXY_502_HTML = Raw(
    502,
    "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n"
    "<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n",
    "text/html",
)


class Refused(Exception):
    def __init__(self, status: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.retry_after = retry_after


# ---- Telegram's HTML -------------------------------------------------------------------------
HTML_TAGS = set("b strong i em u ins s strike del a code pre span tg-spoiler tg-emoji blockquote tg-time".split())
_SPECIAL = re.compile("[<&]")
_ENTITY = re.compile(r"&(lt|gt|amp|quot|#[0-9]+|#x[0-9a-fA-F]+);")
_TAG_NAME = re.compile(r"[A-Za-z][A-Za-z0-9-]*")
_ATTRIBUTES = re.compile(r"""(\s+[A-Za-z-]+(\s*=\s*("[^"]*"|'[^']*'|[^\s"'>]+))?)*\s*""")


def parse_html(text: str) -> str:
    """The visible text of a message in parse_mode=HTML, or Refused as Telegram would refuse it."""

    def refuse(problem: str) -> Refused:
        return Refused(400, f"Bad Request: can't parse entities: {problem}")

    def offset(i: int) -> int:
        return len(text[:i].encode())

    visible: list[str] = []
    open_tags: list[str] = []
    i = 0
    while (special := _SPECIAL.search(text, i)) is not None:
        visible.append(text[i : special.start()])
        i = special.start()
        if text[i] == "&":
            entity = _ENTITY.match(text, i)
            if entity is None:
                raise refuse(f'Unescaped "&" at byte offset {offset(i)}')
            name = entity.group(1)
            if name.startswith("#"):
                visible.append(chr(int(name[2:], 16) if name[1:2] == "x" else int(name[1:])))
            else:
                visible.append({"lt": "<", "gt": ">", "amp": "&", "quot": '"'}[name])
            i = entity.end()
            continue
        end = text.find(">", i)
        if end == -1:
            raise refuse(f"Unclosed start tag at byte offset {offset(i)}")
        inside = text[i + 1 : end]
        if inside.startswith("/"):
            name = inside[1:].strip().lower()
            if not open_tags:
                raise refuse(f"Unexpected end tag at byte offset {offset(i)}")
            if open_tags[-1] != name:
                raise refuse(
                    f'Unmatched end tag at byte offset {offset(i)}, expected "</{open_tags[-1]}>", found "</{name}>"'
                )
            open_tags.pop()
        else:
            match = _TAG_NAME.match(inside)
            name = match.group(0).lower() if match else ""
            if name not in HTML_TAGS:
                raise refuse(f'Unsupported start tag "{name}" at byte offset {offset(i)}')
            if not _ATTRIBUTES.fullmatch(inside[len(name) :]):
                raise refuse(f'Unexpected attribute in tag "{name}" at byte offset {offset(i)}')
            open_tags.append(name)
        i = end + 1
    visible.append(text[i:])
    if open_tags:
        raise refuse(f'Can\'t find end tag corresponding to start tag "{open_tags[-1]}"')
    return "".join(visible)


def utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2  # how Telegram counts characters


def visible_text(text: str, parse_mode: str | None) -> str:
    return parse_html(text) if (parse_mode or "").upper() == "HTML" else text


def check_text(text: Any, parse_mode: str | None) -> None:
    visible = visible_text(str(text or ""), parse_mode).strip()
    if not visible:
        raise Refused(400, "Bad Request: message text is empty")
    if utf16_length(visible) > TEXT_LIMIT:
        raise Refused(400, "Bad Request: message is too long")


def check_caption(caption: Any, parse_mode: str | None) -> None:
    if caption and utf16_length(visible_text(str(caption), parse_mode).strip()) > CAPTION_LIMIT:
        raise Refused(400, "Bad Request: message caption is too long")


def check_markup(markup: Any) -> None:
    for row in (markup or {}).get("inline_keyboard", []) if isinstance(markup, dict) else []:
        for button in row:
            data = button.get("callback_data")
            if data is not None and not 1 <= len(str(data).encode()) <= CALLBACK_DATA_LIMIT:
                raise Refused(400, "Bad Request: BUTTON_DATA_INVALID")


def _flag(value: Any) -> bool:
    return value is True or str(value).lower() == "true"


class FakeTelegram:
    def __init__(self, edit_flood_seconds: float = 1.0) -> None:
        self.calls: list[Call] = []
        self.updates: list[dict] = []
        self.files: dict[str, bytes] = {}
        # method -> scripted refusals, used in order: (status, Bot API error fields) or a Raw response
        self.faults: dict[str, list[tuple[int, dict] | Raw]] = defaultdict(list)
        self.delay: dict[str, float] = {}
        self.malformed_updates: list[Any] = []
        # Flood control: the least time between two edits of one message (Telegram: about a second; 0: off).
        self.edit_flood_seconds = edit_flood_seconds
        self.messages: dict[tuple[int, int], dict[str, Any]] = {}  # (chat, message id) -> what Telegram holds
        self._message_ids = itertools.count(1000)
        self._update_ids = itertools.count(1)
        self._new_update = asyncio.Event()
        self._changed = asyncio.Event()
        self.runner: web.AppRunner | None = None
        self.site: web.TCPSite | None = None
        self.port = 0

    # ---- server ------------------------------------------------------------------------
    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def start(self, port: int = 0) -> None:
        app = web.Application(client_max_size=50 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        app.router.add_get("/file/bot{token}/{path:.*}", self._file)
        self.runner = web.AppRunner(app, shutdown_timeout=0.5)  # stopping cuts slow answers short
        await self.runner.setup()
        self.site = web.TCPSite(self.runner, "127.0.0.1", port or self.port)
        await self.site.start()
        self.port = self.site._server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        if self.runner is not None:
            await self.runner.cleanup()
            self.runner = None

    async def go_down(self, seconds: float) -> None:
        """Refuse connections for a while (the port is closed), then come back on the same port."""
        await self.stop()
        await asyncio.sleep(seconds)
        await self.start(self.port)

    # ---- test API ----------------------------------------------------------------------
    def push(self, update: dict) -> int:
        update = {"update_id": next(self._update_ids), **update}
        for kind in ("message", "edited_message"):
            if isinstance(update.get(kind), dict):
                self._know(update[kind])  # new or edited content
        quoted = [update.get(kind, {}).get("reply_to_message") for kind in ("message", "edited_message")]
        pressed = update.get("callback_query", {}).get("message")
        for message in [*quoted, pressed]:
            if isinstance(message, dict) and self._key_of(message) not in self.messages:
                self._know(message)  # what Telegram holds already stays as it is (its buttons, its edits)
        if isinstance(pressed, dict):  # a button press carries the message as it is now, buttons included
            held = self.messages[self._key_of(pressed)]
            pressed["text"] = held["text"] or pressed.get("text", "")
            if held["reply_markup"]:
                pressed["reply_markup"] = held["reply_markup"]
        self.updates.append(update)
        self._new_update.set()
        return update["update_id"]

    def delete(self, chat_id: int, message_id: int) -> None:
        """A user deletes a message: replies to it are refused from now on."""
        self.messages.pop((chat_id, message_id), None)

    def calls_to(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method == method]

    def messages_to(self, chat_id: int) -> list[str]:
        """Texts of the messages delivered to a chat, in order (refused sends are not delivered)."""
        return [c.params["text"] for c in self.calls_to("sendMessage") if int(c.params["chat_id"]) == chat_id]

    def refused(self) -> list[Call]:
        return [c for c in self.calls if c.method.startswith("!")]

    async def wait_for(self, predicate, timeout: float = 30.0) -> list[Call]:
        """Wait until predicate(calls) is truthy; returns the calls."""
        deadline = time.monotonic() + timeout
        while True:
            if predicate(self.calls):
                return self.calls
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"timed out; calls so far: {[c.method for c in self.calls]}")
            self._changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait(), min(remaining, 0.5))

    def sent_texts(self, chat_id: int | None = None) -> list[str]:
        return [
            c.params.get("text", "")
            for c in self.calls
            if c.method in ("sendMessage", "editMessageText")
            and (chat_id is None or int(c.params.get("chat_id", 0)) == chat_id)
        ]

    # ---- handlers ----------------------------------------------------------------------
    async def _params(self, request: web.Request) -> dict[str, Any]:
        if request.content_type == "application/json":
            return await request.json()
        form = await request.post()
        params: dict[str, Any] = {}
        for key, value in form.items():
            if isinstance(value, web.FileField):  # an uploaded file (sendDocument): its name and bytes
                params[key] = {"filename": value.filename, "data": value.file.read()}
                continue
            if isinstance(value, str) and value[:1] in "{[":
                try:
                    params[key] = json.loads(value)
                    continue
                except ValueError:
                    pass
            params[key] = value
        for key, value in list(params.items()):  # aiogram names an uploaded file "attach://<field>"
            if isinstance(value, str) and value.startswith("attach://"):
                params[key] = params.pop(value.removeprefix("attach://"), value)
        return params

    def _record(self, call: Call) -> None:
        self.calls.append(call)
        self._changed.set()

    async def _handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params = await self._params(request)
        if request.match_info["token"] != TOKEN:
            return web.json_response({"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401)
        if self.faults.get(method):
            fault = self.faults[method].pop(0)
            if isinstance(fault, Raw):
                self._record(Call(f"!{method}", params, error=f"HTTP {fault.status}"))
                return web.Response(status=fault.status, text=fault.body, content_type=fault.content_type)
            status, body = fault
            self._record(Call(f"!{method}", params, error=str(body.get("description", ""))))
            return web.json_response({"ok": False, "error_code": status, **body}, status=status)
        if method == "getUpdates":
            return await self._get_updates(params)
        try:
            self._check(method, params)
        except Refused as refusal:
            self._record(Call(f"!{method}", params, error=refusal.description))
            body: dict[str, Any] = {"ok": False, "error_code": refusal.status, "description": refusal.description}
            if refusal.retry_after is not None:
                body["parameters"] = {"retry_after": refusal.retry_after}
            return web.json_response(body, status=refusal.status)
        call = Call(method, params)
        self._record(call)  # recorded on arrival; a slow answer comes later
        if method in self.delay:
            await asyncio.sleep(self.delay[method])
        call.result = self._result(method, params)
        return web.json_response({"ok": True, "result": call.result})

    async def _get_updates(self, params: dict[str, Any]) -> web.Response:
        offset = int(params.get("offset", 0) or 0)
        timeout = min(float(params.get("timeout", 0) or 0), 0.5)
        if self.malformed_updates:
            raw = self.malformed_updates.pop(0)
            return web.Response(text=raw if isinstance(raw, str) else json.dumps(raw), content_type="application/json")
        pending = [u for u in self.updates if u["update_id"] >= offset]
        if not pending and timeout:
            self._new_update.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._new_update.wait(), timeout)
            pending = [u for u in self.updates if u["update_id"] >= offset]
        return web.json_response({"ok": True, "result": pending[:100]})

    async def _file(self, request: web.Request) -> web.Response:
        path = request.match_info["path"]
        if request.match_info["token"] != TOKEN or path not in self.files:
            return web.Response(status=404)
        self._record(Call("downloadFile", {"path": path}))
        return web.Response(body=self.files[path])

    # ---- Telegram's rules ----------------------------------------------------------------
    def _check(self, method: str, params: dict[str, Any]) -> None:
        parse_mode = params.get("parse_mode")
        if method in ("sendMessage", "editMessageText"):
            check_text(params.get("text"), parse_mode)
        if method in (*MEDIA_METHODS, "editMessageCaption"):
            check_caption(params.get("caption"), parse_mode)
        check_markup(params.get("reply_markup"))
        if method == "sendMessage" or method in MEDIA_METHODS:
            self._check_reply(params)
        if method in ("editMessageText", "editMessageReplyMarkup") and "inline_message_id" not in params:
            self._check_edit(method, params)
        if method == "answerInlineQuery":
            for result in params.get("results") or []:
                content = result.get("input_message_content") or {}
                if "message_text" in content:
                    check_text(content["message_text"], content.get("parse_mode"))
                check_markup(result.get("reply_markup"))
        if method == "answerCallbackQuery" and len(str(params.get("text") or "")) > 200:
            raise Refused(400, "Bad Request: MESSAGE_TOO_LONG")
        if method == "deleteMessage" and self._key(params) not in self.messages:
            raise Refused(400, "Bad Request: message to delete not found")

    def _check_reply(self, params: dict[str, Any]) -> None:
        reply = params.get("reply_parameters")
        if isinstance(reply, dict):
            message_id, chat_id = reply.get("message_id"), reply.get("chat_id", params.get("chat_id"))
            tolerant = _flag(reply.get("allow_sending_without_reply"))
        elif params.get("reply_to_message_id"):
            message_id, chat_id = params["reply_to_message_id"], params.get("chat_id")
            tolerant = _flag(params.get("allow_sending_without_reply"))
        else:
            return
        if (int(chat_id), int(message_id)) not in self.messages and not tolerant:
            raise Refused(400, "Bad Request: message to be replied not found")

    def _check_edit(self, method: str, params: dict[str, Any]) -> None:
        held = self.messages.get(self._key(params))
        if held is None:
            raise Refused(400, "Bad Request: message to edit not found")
        text = params.get("text", held["text"]) if method == "editMessageText" else held["text"]
        markup = params.get("reply_markup")
        if text == held["text"] and markup == held["reply_markup"]:
            raise Refused(
                400,
                "Bad Request: message is not modified: specified new message content and reply markup are exactly "
                "the same as a current content and reply markup of the message",
            )
        now = time.monotonic()
        if held["edited_at"] is not None and now - held["edited_at"] < self.edit_flood_seconds:
            wait = max(1, round(self.edit_flood_seconds - (now - held["edited_at"])))
            raise Refused(429, f"Too Many Requests: retry after {wait}", retry_after=wait)
        held.update(text=text, reply_markup=markup, edited_at=now)

    @staticmethod
    def _key(params: dict[str, Any]) -> tuple[int, int]:
        return int(params.get("chat_id", 0) or 0), int(params.get("message_id", 0) or 0)

    @staticmethod
    def _key_of(message: dict[str, Any]) -> tuple[int, int]:
        return int(message["chat"]["id"]), int(message["message_id"])

    def _know(self, message: dict[str, Any]) -> dict[str, Any]:
        key = self._key_of(message)
        held = {
            "text": message.get("text", message.get("caption")),
            "reply_markup": message.get("reply_markup"),
            "edited_at": None,
        }
        self.messages[key] = held
        return held

    def _result(self, method: str, params: dict[str, Any]) -> Any:
        now = int(time.time())
        if method == "getMe":
            return BOT_USER
        if method == "deleteMessage":
            self.messages.pop(self._key(params), None)
            return True
        if method.startswith("edit") and "inline_message_id" in params:
            return True  # Telegram answers an edit of a message sent via inline mode with True
        if method in ("sendMessage", "editMessageText", "editMessageReplyMarkup"):
            chat_id = int(params.get("chat_id", 0) or 0)
            message_id = int(params["message_id"]) if method.startswith("edit") else next(self._message_ids)
            held = self.messages.get((chat_id, message_id), {})
            message = {
                "message_id": message_id,
                "date": now,
                "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "group"},
                "from": BOT_USER,
                "text": params.get("text", held.get("text") or ""),
            }
            markup = params.get("reply_markup", held.get("reply_markup"))
            if markup:
                message["reply_markup"] = markup
            if method == "sendMessage":
                self._know(message)
            return message
        if method in MEDIA_METHODS:
            chat_id = int(params.get("chat_id", 0) or 0)
            message = {
                "message_id": next(self._message_ids),
                "date": now,
                "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "group"},
                "from": BOT_USER,
            }
            if params.get("caption"):
                message["caption"] = params["caption"]
            upload = params.get("document")
            if method == "sendDocument" and isinstance(upload, dict):
                message["document"] = {"file_id": f"doc-{message['message_id']}", "file_unique_id": "u",
                                       "file_name": upload["filename"], "file_size": len(upload["data"])}  # fmt: skip
            return message
        if method == "getFile":
            file_id = params["file_id"]
            return {"file_id": file_id, "file_unique_id": file_id, "file_size": len(self.files.get(file_id, b"")),
                    "file_path": file_id}  # fmt: skip
        return True


# ---- update builders ---------------------------------------------------------------------
def user(user_id: int, language: str = "ru") -> dict:
    return {"id": user_id, "is_bot": False, "first_name": f"User{user_id}", "language_code": language}


def private_message(user_id: int, text: str, language: str = "ru", message_id: int = 1) -> dict:
    entities = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}] if text.startswith("/") else []
    message = {
        "message_id": message_id,
        "date": int(time.time()),
        "chat": {"id": user_id, "type": "private"},
        "from": user(user_id, language),
        "text": text,
    }
    if entities:
        message["entities"] = entities
    return {"message": message}


def group_message(chat_id: int, user_id: int, text: str, reply_to_bot: bool = False, message_id: int = 1) -> dict:
    entities = _mentions(text)
    if text.startswith("/"):
        entities.append({"type": "bot_command", "offset": 0, "length": len(text.split()[0])})
    message: dict[str, Any] = {
        "message_id": message_id,
        "date": int(time.time()),
        "chat": {"id": chat_id, "type": "supergroup", "title": "Commission staff"},
        "from": user(user_id),
        "text": text,
        "entities": entities,
    }
    if reply_to_bot:
        message["reply_to_message"] = {
            "message_id": 999,
            "date": int(time.time()),
            "chat": message["chat"],
            "from": BOT_USER,
            "text": "earlier answer",
        }
    return {"message": message}


def anonymous_group_message(chat_id: int, text: str, message_id: int = 1) -> dict:
    """A group message sent on behalf of the group (an anonymous admin): no person behind it."""
    update = group_message(chat_id, 0, text, message_id=message_id)
    del update["message"]["from"]
    update["message"]["sender_chat"] = {"id": chat_id, "type": "supergroup", "title": "Commission staff"}
    return update


def edited(update: dict, text: str) -> dict:
    """The same message, edited to a new text (Telegram sends it as edited_message)."""
    message = {**update["message"], "text": text, "edit_date": int(time.time())}
    message["entities"] = _mentions(text)
    return {"edited_message": message}


def _mentions(text: str) -> list[dict]:
    mention = "@" + BOT_USER["username"]
    return [{"type": "mention", "offset": text.index(mention), "length": len(mention)}] if mention in text else []


def media_message(
    user_id: int, kind: str, caption: str | None = None, chat: dict | None = None, message_id: int = 1
) -> dict:
    """A photo, document, sticker, voice note, location... (``kind`` is the Message field) with an optional caption."""
    payloads: dict[str, Any] = {
        "photo": [{"file_id": "p1", "file_unique_id": "p1", "width": 90, "height": 90}],
        "document": {"file_id": "d1", "file_unique_id": "d1", "file_name": "table.xlsx", "file_size": 100},
        "sticker": {
            "file_id": "s1",
            "file_unique_id": "s1",
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
        },
        "voice": {"file_id": "v1", "file_unique_id": "v1", "duration": 3},
        "video_note": {"file_id": "n1", "file_unique_id": "n1", "length": 240, "duration": 3},
        "location": {"latitude": 40.4, "longitude": 49.9},
    }
    message: dict[str, Any] = {
        "message_id": message_id,
        "date": int(time.time()),
        "chat": chat or {"id": user_id, "type": "private"},
        "from": user(user_id),
        kind: payloads[kind],
    }
    if caption is not None:
        message["caption"] = caption
        message["caption_entities"] = _mentions(caption)
    return {"message": message}


def callback_query(user_id: int, data: str, message_id: int, query_id: str = "cb1", chat_id: int | None = None) -> dict:
    """A press of an inline button with ``data`` under the bot's message ``message_id`` (a private chat by default)."""
    chat_id = user_id if chat_id is None else chat_id
    chat = {"id": chat_id, "type": "private" if chat_id > 0 else "supergroup"}
    message = {"message_id": message_id, "date": int(time.time()), "chat": chat, "from": BOT_USER, "text": "…"}
    return {
        "callback_query": {
            "id": query_id,
            "from": user(user_id),
            "chat_instance": "ci",
            "data": data,
            "message": message,
        }
    }


def inline_query(user_id: int, query: str, query_id: str = "iq1") -> dict:
    return {"inline_query": {"id": query_id, "from": user(user_id), "query": query, "offset": ""}}


def document_message(
    user_id: int, file_id: str, file_name: str, size: int, caption: str | None = None, message_id: int = 7
) -> dict:
    message: dict[str, Any] = {
        "message_id": message_id,
        "date": int(time.time()),
        "chat": {"id": user_id, "type": "private"},
        "from": user(user_id),
        "document": {"file_id": file_id, "file_unique_id": file_id, "file_name": file_name, "file_size": size},
    }
    if caption is not None:
        message["caption"] = caption
    return {"message": message}
