"""Interface strings in Russian (default) and English, chosen by the user's Telegram language."""

from __future__ import annotations

RU = {
    "start": (
        "Здравствуйте! Я отвечаю на вопросы по документам межправительственной комиссии.\n"
        "Просто напишите вопрос, например: <i>Где пройдет 22-е заседание комиссии?</i>\n"
        "В группе упомяните меня или используйте /ask вопрос. В любом чате: <code>@{username} вопрос</code>."
    ),
    "not_found": (
        "В документах нет ответа на этот вопрос. Попробуйте переформулировать его: "
        "назовите заседание, страну, отрасль или дату."
    ),
    "source": "Источник",
    "more": "Ещё источники ({n})",
    "passage": "Фрагмент {i} из {n}",
    "no_more": "Больше источников нет.",
    "expired": "Этот ответ устарел, задайте вопрос ещё раз.",
    "refused": "Извините, доступ к этому боту ограничен. Обратитесь к администратору, чтобы получить доступ.",
    "admins_only": "Эта команда доступна только администраторам.",
    "rate_limited": "Слишком много вопросов подряд. Пожалуйста, подождите {seconds} с.",
    "error": "Извините, при обработке вопроса произошла ошибка. Попробуйте ещё раз чуть позже.",
    "ask_usage": "Напишите вопрос после команды: /ask Где пройдет следующее заседание?",
    "inline_hint": "Введите вопрос по документам комиссии",
    "inline_refused": "Доступ ограничен",
    "inline_empty": "Ответ не найден",
    "reindex_started": "Переиндексация{full}: начинаю…",
    "reindex_running": "Переиндексация уже идёт. Дождитесь её окончания.",
    "reindex_progress": "Переиндексация{full}: {stage} {done} из {total}…",
    "reindex_done": (
        "Индекс обновлён: {version}.\nДокументов: {documents}, фрагментов: {chunks}.\n"
        "Добавлено: {added}, изменено: {changed}, удалено: {removed}, пропущено: {skipped}."
    ),
    "reindex_failed": "Переиндексация не удалась: {reason}. Ответы по-прежнему даются по предыдущему индексу.",
    "stage_reading": "чтение документов",
    "stage_embedding": "векторизация текстов",
    "stage_writing": "запись индекса",
    "stage_publishing": "публикация",
    "docs_header": "Документы ({n}):",
    "docs_empty": "Документов пока нет.",
    "docs_skipped": "Пропущены при индексации:",
    "stats": (
        "Документов: {documents}\nФрагментов: {chunks}\nМодель: {model}\nВерсия индекса: {version}\n"
        "Последняя переиндексация: {last}\nОтвечено вопросов: {answered}"
    ),
    "never": "не было с момента запуска",
    "upload_type": "Поддерживаются файлы: {types}.",
    "upload_too_big": "Файл слишком большой ({size} МБ, предел {limit} МБ).",
    "upload_saved": "Файл сохранён как <code>{name}</code>. Индексирую…",
    "upload_duplicate": "Такой файл уже есть: <code>{name}</code>.",
    "upload_failed": "Не удалось загрузить файл: {reason}.",
}

EN = {
    "start": (
        "Hello! I answer questions about the intergovernmental commission's documents.\n"
        "Just type a question, e.g. <i>Where will the 22nd session of the commission be held?</i>\n"
        "In a group, mention me or use /ask question. In any chat: <code>@{username} question</code>."
    ),
    "not_found": (
        "The documents hold no answer to this question. Try rephrasing it: name the session, "
        "the country, the sector or the date."
    ),
    "source": "Source",
    "more": "More sources ({n})",
    "passage": "Passage {i} of {n}",
    "no_more": "No more sources.",
    "expired": "This answer has expired, please ask again.",
    "refused": "Sorry, access to this bot is restricted. Please contact the administrator to get access.",
    "admins_only": "This command is for administrators only.",
    "rate_limited": "Too many questions in a row. Please wait {seconds} s.",
    "error": "Sorry, something went wrong while answering. Please try again a bit later.",
    "ask_usage": "Put the question after the command: /ask Where will the next session be held?",
    "inline_hint": "Type a question about the commission's documents",
    "inline_refused": "Access restricted",
    "inline_empty": "No answer found",
    "reindex_started": "Reindexing{full}: starting…",
    "reindex_running": "A reindex is already running. Please wait for it to finish.",
    "reindex_progress": "Reindexing{full}: {stage} {done} of {total}…",
    "reindex_done": (
        "Index updated: {version}.\nDocuments: {documents}, chunks: {chunks}.\n"
        "Added: {added}, changed: {changed}, removed: {removed}, skipped: {skipped}."
    ),
    "reindex_failed": "Reindex failed: {reason}. Answers still come from the previous index.",
    "stage_reading": "reading documents",
    "stage_embedding": "embedding texts",
    "stage_writing": "writing the index",
    "stage_publishing": "publishing",
    "docs_header": "Documents ({n}):",
    "docs_empty": "No documents yet.",
    "docs_skipped": "Skipped when indexing:",
    "stats": (
        "Documents: {documents}\nChunks: {chunks}\nModel: {model}\nIndex version: {version}\n"
        "Last reindex: {last}\nQuestions answered: {answered}"
    ),
    "never": "none since start",
    "upload_type": "Supported files: {types}.",
    "upload_too_big": "The file is too large ({size} MB, limit {limit} MB).",
    "upload_saved": "Saved as <code>{name}</code>. Indexing…",
    "upload_duplicate": "This file is already there: <code>{name}</code>.",
    "upload_failed": "Could not upload the file: {reason}.",
}

COMMANDS = {
    "ru": [("ask", "Задать вопрос"), ("help", "Как пользоваться ботом")],
    "en": [("ask", "Ask a question"), ("help", "How to use the bot")],
}
ADMIN_COMMANDS = {
    "ru": [("reindex", "Переиндексировать документы"), ("docs", "Список документов"), ("stats", "Статистика")],
    "en": [("reindex", "Reindex the documents"), ("docs", "List documents"), ("stats", "Statistics")],
}


class Texts:
    """The strings of one language; ``t("key", n=3)`` formats one."""

    def __init__(self, language: str) -> None:
        self.language = language
        self._strings = EN if language == "en" else RU

    def __call__(self, key: str, **values: object) -> str:
        return self._strings[key].format(**values)


def texts_for(language_code: str | None) -> Texts:
    return Texts("en" if (language_code or "").lower().startswith("en") else "ru")
