from __future__ import annotations

from index.splitter import SplitterConfig, split_sentences, split_text


def test_russian_abbreviations_and_initials_do_not_end_a_sentence() -> None:
    text = (
        "Товарооборот достиг 470 млн. долларов, т.е. вырос на 50%. "
        "Заседание провел А. С. Иванов в 2025 г. в Баку. Протокол подписан."
    )
    assert split_sentences(text, SplitterConfig()) == [
        "Товарооборот достиг 470 млн. долларов, т.е. вырос на 50%.",
        "Заседание провел А. С. Иванов в 2025 г. в Баку.",
        "Протокол подписан.",
    ]


def test_chunks_are_whole_sentences_within_the_limit() -> None:
    paragraph = " ".join(f"Предложение номер {i} о сотрудничестве сторон." for i in range(60))
    chunks = split_text(paragraph, SplitterConfig(max_chars=200))
    assert len(chunks) > 5
    for chunk in chunks:
        assert len(chunk.text) <= 200
        assert chunk.text.endswith(".")
        for start, end in chunk.sentences:
            assert chunk.text[start:end].startswith("Предложение")


def test_paragraphs_stay_apart_and_repeats_collapse() -> None:
    text = "Первый абзац.\n\nВторой абзац.\n\n" + "Одно и то же.\n" * 10_000
    chunks = split_text(text, SplitterConfig(max_chars=1000))
    texts = [c.text for c in chunks]
    assert texts[:2] == ["Первый абзац.", "Второй абзац."]
    assert len(texts) <= 4  # 10,000 repeated lines give one chunk (plus a shorter tail), not thousands


def test_an_endless_sentence_is_cut_at_word_boundaries() -> None:
    text = "слово " * 1000
    chunks = split_text(text, SplitterConfig(max_chars=300))
    assert all(len(c.text) <= 300 for c in chunks)
    assert all(not c.text.startswith("лово") for c in chunks)


def test_a_table_row_stays_one_sentence() -> None:
    row = "Мероприятие: Запуск очереди на переходе; Срок: до 1 марта 2026 года; Ответственный: Комитет."
    assert split_sentences(row + " Далее.", SplitterConfig()) == [row, "Далее."]


def test_a_headline_line_is_its_own_sentence() -> None:
    text = "Zeybekci ve Novak, KEK protokolüne imza attı\nKEK protokolü Ankara'da imzalandı. Novak konuştu."
    assert split_sentences(text, SplitterConfig()) == [
        "Zeybekci ve Novak, KEK protokolüne imza attı",
        "KEK protokolü Ankara'da imzalandı.",
        "Novak konuştu.",
    ]


def test_hard_wrapped_prose_is_joined_and_an_ordinal_dot_does_not_end_a_sentence() -> None:
    text = (
        "Am 4. September trat in Berlin die Kommission zu ihrer 8. Sitzung zusammen. Den Vorsitz führten\n"
        "gemeinsam Hartmut Koschyk und Bachodir Kurbanov, die das Treffen\n"
        "eröffneten."
    )
    assert split_sentences(text, SplitterConfig()) == [
        "Am 4. September trat in Berlin die Kommission zu ihrer 8. Sitzung zusammen.",
        "Den Vorsitz führten gemeinsam Hartmut Koschyk und Bachodir Kurbanov, die das Treffen eröffneten.",
    ]


def test_a_dateline_joins_the_sentence_after_it() -> None:
    text = "АШХАБАД, 22 қыркүйек. Комиссияның 4-отырысы Ашхабадта өтті. Хаттамаға қол қойылды."
    assert split_sentences(text, SplitterConfig()) == [
        "АШХАБАД, 22 қыркүйек. Комиссияның 4-отырысы Ашхабадта өтті.",
        "Хаттамаға қол қойылды.",
    ]
