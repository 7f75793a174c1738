"""Interface strings in Russian (default), English, Kazakh and Azerbaijani, chosen by the user's Telegram language.

Every language has every key with the same placeholders (tests/test_texts.py checks it): a string
added in one language is added in all four.
"""

from __future__ import annotations

from html import escape

RU = {
    "start": (
        "Здравствуйте! Я отвечаю на вопросы по документам межправительственной комиссии.\n"
        "Просто напишите вопрос, например: <i>Где пройдет 22-е заседание комиссии?</i>\n"
        "В группе упомяните меня или используйте /ask вопрос. В любом чате: <code>@{username} вопрос</code>.\n"
        "Чтобы уточнить ответ, ответьте на него (например: <i>А когда?</i>). Оцените ответ 👍 или 👎 — так мы узнаем, "
        "чего не хватает в архиве."
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
    "outdated": "Документы обновились после этого ответа. Задайте вопрос ещё раз, чтобы получить актуальный ответ.",
    "edited_answer": "Ответ на исправленный вопрос:",
    "unknown_command": "Такой команды нет. Напишите вопрос обычным сообщением или откройте /help.",
    "not_understood": (
        "Я отвечаю на вопросы по документам комиссии. Напишите вопрос (можно в подписи к фото), "
        "например: Где пройдет 22-е заседание комиссии?"
    ),
    "refused": "Извините, доступ к этому боту ограничен. Обратитесь к администратору, чтобы получить доступ.",
    "admins_only": "Эта команда доступна только администраторам.",
    "rate_limited": "Слишком много вопросов подряд. Пожалуйста, подождите {seconds} с.",
    "error": "Извините, при обработке вопроса произошла ошибка. Попробуйте ещё раз чуть позже.",
    "ask_usage": "Напишите вопрос после команды: /ask Где пройдет следующее заседание?",
    "inline_hint": "Введите вопрос по документам комиссии",
    "inline_refused": "Доступ ограничен",
    "inline_empty": "Ответ не найден",
    "reindex_started": "Переиндексация{full}: начинаю…",
    "reindex_full": " (полная)",
    "reindex_running": "Переиндексация уже идёт; ваша начнётся сразу после неё.",
    "reindex_progress": "Переиндексация{full}: {stage}\n{bar}",
    "reindex_done": (
        "Индекс обновлён.\nДокументов: {documents}, фрагментов: {chunks}.\n"
        "Добавлено: {added}, изменено: {changed}, удалено: {removed}, пропущено: {skipped}."
    ),
    "reindex_failed": (
        "Переиндексация не удалась из-за внутренней ошибки (подробности — в журнале бота). Ответы по-прежнему даются "
        "по предыдущему индексу."
    ),
    "stage_reading": "читаю документы, {done} из {total}",
    "stage_embedding": "обрабатываю новый текст, {done} из {total} предложений",
    "stage_writing": "сохраняю индекс",
    "stage_publishing": "включаю обновлённый индекс",
    "docs_header": "Документы ({n}), страница {page} из {pages}:",
    "docs_empty": "Документов пока нет. Пришлите файл, чтобы добавить его.",
    "stats": (
        "Документов в ответах: {documents}\nНе прочитано файлов: {skipped}\n"
        "Фрагментов текста: {chunks}\nИндекс обновлён: {updated}\n"
        "Отвечено вопросов с {since}: {answered}"
    ),
    "stage_ocr": "распознаю сканированные страницы, {done} из {total}",
    "ocr_mark": "🔎 Текст распознан со скана",
    "ocr_mark_pages": "🔎 Стр. {pages} из {total} распознаны со скана",
    "ocr_cut": "{path}, стр. {pages}: {reason}",
    "skip_ocr_unavailable": "скан не распознан: не установлен пакет {package}",
    "skip_ocr_off": "скан не распознан: распознавание выключено",
    "skip_page_limit": "скан не распознан: предел {limit} стр. на документ",
    "skip_page_timeout": "скан не распознан: страница распознаётся дольше {seconds} с",
    "skip_page_failed": "скан не распознан из-за ошибки распознавания",
    "skip_corrupt_image": "изображение повреждено",
    "skip_image_too_large": "слишком большое изображение ({megapixels} Мпикс при пределе {limit})",
    "upload_type": "Поддерживаются файлы: {types}.",
    "upload_too_big": "Файл слишком большой ({size} МБ, предел {limit} МБ).",
    "upload_duplicate": "Этот файл уже есть в архиве под именем <code>{name}</code>.",
    "upload_failed": "Не удалось получить файл от Telegram. Пришлите его ещё раз.",
    "reindex_no_folder": (
        "Переиндексация не удалась: папка документов {folder} не найдена. Проверьте настройку DOCUMENTS_DIR. Ответы "
        "по-прежнему даются по предыдущему индексу."
    ),
    "reindex_busy": (
        "Переиндексация не удалась: индекс слишком долго строится другим процессом. Повторите /reindex позже."
    ),
    "stage_waiting": "жду окончания переиндексации, запущенной вне бота",
    "more_names": "…и ещё {n}",
    "skip_unreadable": "файл не удалось прочитать",
    "skip_symlink_outside": "ссылка ведёт за пределы папки документов",
    "skip_unsupported_format": "формат {format} не поддерживается",
    "skip_empty": "пустой файл",
    "skip_too_large": "слишком большой файл ({size} МБ при пределе {limit} МБ)",
    "skip_cannot_read": "файл недоступен для чтения",
    "skip_no_text": "в файле нет текста",
    "skip_damaged_text": "текст повреждён (испорченная кодировка UTF-16)",
    "skip_binary": "это не текст, а двоичные данные",
    "skip_unknown_encoding": "не удалось определить кодировку текста",
    "skip_not_pdf": "это не PDF-файл (он повреждён или у него неверное расширение)",
    "skip_encrypted_pdf": "PDF защищён паролем",
    "skip_corrupt_pdf": "PDF повреждён",
    "skip_no_text_layer": "в PDF нет текстового слоя и сканированных страниц",
    "skip_not_docx": "это не файл DOCX (он повреждён или у него неверное расширение)",
    "skip_zip_bomb": "архив распаковывается в {mb} МБ — отклонён как подозрительный",
    "skip_corrupt_docx": "DOCX повреждён",
    "skip_unexpected": "внутренняя ошибка при чтении файла (подробности — в журнале бота)",
    "stats_changes": "{when} (добавлено {added}, изменено {changed}, удалено {removed})",
    "stats_no_index": "ещё не построен",
    "docs_hint": "Нажмите номер, чтобы открыть документ. Новая версия: пришлите файл с тем же именем.",
    "delete_pick": "Какой документ удалить? Документы ({n}), страница {page} из {pages}:",
    "doc_not_indexed": "не индексируется: {reason}",
    "doc_pending": "ещё не в индексе",
    "doc_page": (
        "📄 <b>{title}</b>\nИсточник: {source}\nДата: {date}\n"
        "Файл: <code>{name}</code>, {size}\nФрагментов в индексе: {chunks}\n"
        "Добавлен: {added}"
    ),
    "doc_replace_hint": "Заменить новой версией: пришлите файл с тем же именем.",
    "size_kb": "{n} КБ",
    "size_mb": "{n} МБ",
    "btn_edit": "✏️ Описание",
    "btn_delete": "🗑 Удалить",
    "btn_back": "« К списку",
    "btn_confirm_delete": "🗑 Да, удалить",
    "btn_cancel": "Отмена",
    "btn_title": "Название",
    "btn_source": "Источник",
    "btn_date": "Дата",
    "btn_today": "Сегодня",
    "btn_done": "Готово",
    "doc_gone": "Этого документа уже нет. Список: /docs",
    "delete_confirm": "Удалить документ «{title}» (<code>{name}</code>)? Вернуть его можно будет командой /undo.",
    "delete_not_found": "Документ «{query}» не найден. Список документов: /docs",
    "delete_cancelled": "Удаление отменено.",
    "deleting": "🗑 Документ <code>{name}</code> удалён. Обновляю индекс…",
    "deleted_done": "🗑 Документ <code>{name}</code> удалён и больше не попадает в ответы. Вернуть: /undo",
    "undo_nothing": "Отменять нечего: документы ещё не менялись.",
    "undo_restored": "↩️ Возвращена прежняя версия документа <code>{name}</code>.",
    "undo_removed": "↩️ Документ <code>{name}</code> убран: его загрузка отменена.",
    "undo_again": "Повторная /undo вернёт как было.",
    "upload_added": "📥 Новый документ <code>{name}</code> сохранён.",
    "upload_replaced": "🔁 Документ <code>{name}</code> заменён новой версией; прежняя сохранена (вернуть: /undo).",
    "upload_unchanged": "Документ <code>{name}</code> уже есть в архиве точно в таком виде — ничего не изменилось.",
    "upload_described": "Документ <code>{name}</code> не изменился; его описание обновлено.",
    "indexing_now": "Индексирую…",
    "indexing_queued": "Сейчас идёт переиндексация; этот файл будет проиндексирован сразу после неё — я напишу.",
    "upload_ready": "✅ <code>{name}</code> в индексе: бот уже отвечает по нему.",
    "upload_not_indexed": "⚠ <code>{name}</code> не попал в индекс: {reason}.",
    "upload_refused": "Файл <code>{name}</code> не принят: {reason}. Он не сохранён.",
    "folder_not_writable": (
        "Не могу сохранить: папка {folder} закрыта для записи. Дайте пользователю бота право записи в неё (в Docker "
        "подключите её без :ro)."
    ),
    "bad_date": "Дату «{value}» не удалось разобрать: напишите её как 2025-07-15 или 15.07.2025.",
    "meta_card": "Описание документа <code>{name}</code>:\nНазвание: {title}\nИсточник: {source}\nДата: {date}",
    "meta_card_hint": "Нажмите, что заполнить или изменить.",
    "meta_ask_title": "Пришлите название документа <code>{name}</code>.",
    "meta_ask_source": "Пришлите источник документа <code>{name}</code> (агентство или ведомство) или выберите ниже.",
    "meta_ask_date": "Пришлите дату документа <code>{name}</code>: 2025-07-15 или 15.07.2025.",
    "meta_saved": "Сохранено. Обновляю индекс…",
    "meta_saved_done": "✅ Сохранено, ответы уже показывают новое описание.",
    "meta_cancelled": "Хорошо, описание не меняю.",
    "folder_missing": "Не могу сохранить: папки документов {folder} нет. Проверьте настройку DOCUMENTS_DIR.",
    "voice_off": "Голосовые вопросы пока не распознаются, напишите вопрос текстом.",
    "voice_too_long": "Сообщение слишком длинное ({seconds} с, предел {limit} с). Задайте вопрос короче или текстом.",
    "voice_unreadable": "Не удалось прочитать запись. Запишите вопрос ещё раз или напишите его текстом.",
    "voice_unclear": "Не удалось разобрать вопрос в записи. Повторите его чётче или напишите текстом.",
    "voice_download_failed": "Не удалось получить запись из Telegram. Отправьте её ещё раз чуть позже.",
    "voice_heard": "🎤 «{text}»",
    "follow_up": "↪️ К вопросу «{question}»",
    "welcome": "Пожалуйста! Если ответ неверен, отметьте его 👎 — так мы узнаем, чего не хватает в архиве.",
    "vote_thanks": "Спасибо за оценку!",
    "vote_why": "Спасибо! Под ответом можно указать, что не так.",
    "vote_reason_thanks": "Спасибо, причина учтена.",
    "vote_expired": "Этот ответ больше не хранится, оценить его нельзя.",
    "reason_document": "Не тот документ",
    "reason_sentence": "Не то предложение",
    "reason_outdated": "Устарело",
    "reason_none": "Без причины",
    "report_title": "Отчёт о вопросах за {days} дн. (с {since})",
    "report_counts": (
        "Вопросов: {questions} (задали {askers} чел.). С ответом: {answered} ({answered_share}), "
        "без ответа: {unanswered}."
    ),
    "report_votes": "Оценки ответов: 👍 {up} ({up_share}), 👎 {down} ({down_share}).",
    "report_reasons": "Причины 👎: {reasons}.",
    "report_lacking": "Чего не хватает в архиве (вопросы без ответа и с 👎, похожие вместе, частые сначала):",
    "report_nothing_lacking": "Таких вопросов нет.",
    "report_group": "{i}. «{question}» — вопросов: {times} (без ответа: {unanswered}, с 👎: {down})",
    "report_variants": "Также спрашивали: {variants}",
    "report_more_groups": "…и ещё групп: {n} (все — в файле CSV).",
    "report_documents": "Документы, ответы по которым получили 👎:",
    "report_document": "• {title} — 👎 {down}",
    "report_empty": "За последние {days} дн. вопросов не было.",
    "report_csv_caption": "Все вопросы без ответа и с 👎, по группам похожих.",
    "report_csv_columns": (
        "Группа|Вопросов в группе|Вопрос|Когда задан (UTC)|Итог|👎|Причины|Документ ответа|Предложение ответа"
    ),
    "report_outcome_unanswered": "нет ответа",
    "report_outcome_down": "👎",
    "report_memory_only": (
        "⚠ Журнал вопросов не удаётся сохранить на диск (папка {folder} недоступна для записи), поэтому он хранится "
        "только до перезапуска бота."
    ),
    "quote": "«{text}»",
    "report_private_only": "Отчёт содержит вопросы сотрудников: запросите его командой /report в личном чате с ботом.",
}

EN = {
    "start": (
        "Hello! I answer questions about the intergovernmental commission's documents.\n"
        "Just type a question, e.g. <i>Where will the 22nd session of the commission be held?</i>\n"
        "In a group, mention me or use /ask question. In any chat: <code>@{username} question</code>.\n"
        "To follow an answer up, reply to it (e.g. <i>And when?</i>). Rate answers 👍 or 👎: that tells us what the "
        "archive lacks."
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
    "outdated": "The documents have been updated since this answer. Please ask again for an up-to-date answer.",
    "edited_answer": "Answer to the edited question:",
    "unknown_command": "There is no such command. Type your question as a message, or see /help.",
    "not_understood": (
        "I answer questions about the commission's documents. Type a question (a photo's caption will do), "
        "e.g.: Where will the 22nd session of the commission be held?"
    ),
    "refused": "Sorry, access to this bot is restricted. Please contact the administrator to get access.",
    "admins_only": "This command is for administrators only.",
    "rate_limited": "Too many questions in a row. Please wait {seconds} s.",
    "error": "Sorry, something went wrong while answering. Please try again a bit later.",
    "ask_usage": "Put the question after the command: /ask Where will the next session be held?",
    "inline_hint": "Type a question about the commission's documents",
    "inline_refused": "Access restricted",
    "inline_empty": "No answer found",
    "reindex_started": "Reindexing{full}: starting…",
    "reindex_full": " (full)",
    "reindex_running": "A reindex is already running; yours will start right after it.",
    "reindex_progress": "Reindexing{full}: {stage}\n{bar}",
    "reindex_done": (
        "Index updated.\nDocuments: {documents}, chunks: {chunks}.\n"
        "Added: {added}, changed: {changed}, removed: {removed}, skipped: {skipped}."
    ),
    "reindex_failed": (
        "Reindex failed because of an internal error (details in the bot's log). Answers still come from the "
        "previous index."
    ),
    "stage_reading": "reading documents, {done} of {total}",
    "stage_embedding": "processing new text, {done} of {total} sentences",
    "stage_writing": "saving the index",
    "stage_publishing": "switching to the updated index",
    "docs_header": "Documents ({n}), page {page} of {pages}:",
    "docs_empty": "No documents yet. Send a file to add one.",
    "stats": (
        "Documents in answers: {documents}\nFiles not read: {skipped}\n"
        "Text passages: {chunks}\nIndex updated: {updated}\n"
        "Questions answered since {since}: {answered}"
    ),
    "stage_ocr": "recognising scanned pages, {done} of {total}",
    "ocr_mark": "🔎 Text recognised from a scan",
    "ocr_mark_pages": "🔎 Pages {pages} of {total} recognised from a scan",
    "ocr_cut": "{path}, pages {pages}: {reason}",
    "skip_ocr_unavailable": "scan not recognised: the package {package} is not installed",
    "skip_ocr_off": "scan not recognised: recognition is turned off",
    "skip_page_limit": "scan not recognised: limit of {limit} pages per document",
    "skip_page_timeout": "scan not recognised: a page takes over {seconds} s",
    "skip_page_failed": "scan not recognised because of a recognition error",
    "skip_corrupt_image": "the image is damaged",
    "skip_image_too_large": "the image is too large ({megapixels} megapixels, limit {limit})",
    "upload_type": "Supported files: {types}.",
    "upload_too_big": "The file is too large ({size} MB, limit {limit} MB).",
    "upload_duplicate": "This file is already in the archive as <code>{name}</code>.",
    "upload_failed": "Could not get the file from Telegram. Please send it again.",
    "reindex_no_folder": (
        "Reindex failed: the documents folder {folder} was not found. Check the DOCUMENTS_DIR setting. Answers still "
        "come from the previous index."
    ),
    "reindex_busy": (
        "Reindex failed: another process has been building the index for too long. Try /reindex again later."
    ),
    "stage_waiting": "waiting for a reindex started outside the bot to finish",
    "more_names": "…and {n} more",
    "skip_unreadable": "the file could not be read",
    "skip_symlink_outside": "the link points outside the documents folder",
    "skip_unsupported_format": "the {format} format is not supported",
    "skip_empty": "the file is empty",
    "skip_too_large": "the file is too large ({size} MB, limit {limit} MB)",
    "skip_cannot_read": "the file cannot be opened for reading",
    "skip_no_text": "the file holds no text",
    "skip_damaged_text": "the text is damaged (broken UTF-16 encoding)",
    "skip_binary": "this is binary data, not text",
    "skip_unknown_encoding": "the text's encoding could not be recognised",
    "skip_not_pdf": "this is not a PDF file (it is damaged or has the wrong extension)",
    "skip_encrypted_pdf": "the PDF is password-protected",
    "skip_corrupt_pdf": "the PDF is damaged",
    "skip_no_text_layer": "the PDF has no text layer and no scanned pages",
    "skip_not_docx": "this is not a DOCX file (it is damaged or has the wrong extension)",
    "skip_zip_bomb": "the archive unpacks to {mb} MB — refused as suspicious",
    "skip_corrupt_docx": "the DOCX is damaged",
    "skip_unexpected": "internal error while reading the file (details in the bot's log)",
    "stats_changes": "{when} (added {added}, changed {changed}, removed {removed})",
    "stats_no_index": "not built yet",
    "docs_hint": "Tap a number to open a document. New version: send a file with the same name.",
    "delete_pick": "Which document should be deleted? Documents ({n}), page {page} of {pages}:",
    "doc_not_indexed": "not indexed: {reason}",
    "doc_pending": "not in the index yet",
    "doc_page": (
        "📄 <b>{title}</b>\nSource: {source}\nDate: {date}\n"
        "File: <code>{name}</code>, {size}\nPassages in the index: {chunks}\n"
        "Added: {added}"
    ),
    "doc_replace_hint": "To replace it with a new version, send a file with the same name.",
    "size_kb": "{n} KB",
    "size_mb": "{n} MB",
    "btn_edit": "✏️ Description",
    "btn_delete": "🗑 Delete",
    "btn_back": "« Back to the list",
    "btn_confirm_delete": "🗑 Yes, delete",
    "btn_cancel": "Cancel",
    "btn_title": "Title",
    "btn_source": "Source",
    "btn_date": "Date",
    "btn_today": "Today",
    "btn_done": "Done",
    "doc_gone": "This document is no longer there. List: /docs",
    "delete_confirm": "Delete the document “{title}” (<code>{name}</code>)? /undo can bring it back.",
    "delete_not_found": "No document “{query}”. List of documents: /docs",
    "delete_cancelled": "Deletion cancelled.",
    "deleting": "🗑 Document <code>{name}</code> deleted. Updating the index…",
    "deleted_done": "🗑 Document <code>{name}</code> deleted; answers no longer use it. Bring it back: /undo",
    "undo_nothing": "Nothing to undo: no document has been changed yet.",
    "undo_restored": "↩️ The previous version of <code>{name}</code> is back.",
    "undo_removed": "↩️ Document <code>{name}</code> removed: its upload is undone.",
    "undo_again": "/undo again puts it back as it was.",
    "upload_added": "📥 New document <code>{name}</code> saved.",
    "upload_replaced": (
        "🔁 Document <code>{name}</code> replaced by a new version; the previous one is kept (bring it back: /undo)."
    ),
    "upload_unchanged": "Document <code>{name}</code> is already in the archive exactly like this — nothing changed.",
    "upload_described": "Document <code>{name}</code> is unchanged; its description is updated.",
    "indexing_now": "Indexing…",
    "indexing_queued": "A reindex is running now; this file will be indexed right after it — I will let you know.",
    "upload_ready": "✅ <code>{name}</code> is in the index: the bot already answers from it.",
    "upload_not_indexed": "⚠ <code>{name}</code> did not get into the index: {reason}.",
    "upload_refused": "File <code>{name}</code> refused: {reason}. It was not kept.",
    "folder_not_writable": (
        "Cannot save: the folder {folder} is not writable. Give the bot's user write access to it (in Docker, mount "
        "it without :ro)."
    ),
    "bad_date": "Could not read the date “{value}”: write it as 2025-07-15 or 15.07.2025.",
    "meta_card": "Description of <code>{name}</code>:\nTitle: {title}\nSource: {source}\nDate: {date}",
    "meta_card_hint": "Tap what to fill in or change.",
    "meta_ask_title": "Send the title of <code>{name}</code>.",
    "meta_ask_source": "Send the source of <code>{name}</code> (agency or ministry), or pick one below.",
    "meta_ask_date": "Send the date of <code>{name}</code>: 2025-07-15 or 15.07.2025.",
    "meta_saved": "Saved. Updating the index…",
    "meta_saved_done": "✅ Saved; answers already show the new description.",
    "meta_cancelled": "All right, the description stays as it is.",
    "folder_missing": "Cannot save: the documents folder {folder} does not exist. Check the DOCUMENTS_DIR setting.",
    "voice_off": "Voice questions are not recognised yet; please type your question.",
    "voice_too_long": "The recording is too long ({seconds} s, limit {limit} s). Ask a shorter question or type it.",
    "voice_unreadable": "Could not read the recording. Record the question again or type it.",
    "voice_unclear": "Could not make out a question in the recording. Say it more clearly or type it.",
    "voice_download_failed": "Could not get the recording from Telegram. Please send it again a bit later.",
    "voice_heard": "🎤 “{text}”",
    "follow_up": "↪️ Following up “{question}”",
    "welcome": "You're welcome! If an answer is wrong, mark it 👎 so that we learn what the archive lacks.",
    "vote_thanks": "Thank you for the rating!",
    "vote_why": "Thank you! You can say below the answer what is wrong.",
    "vote_reason_thanks": "Thank you, the reason is noted.",
    "vote_expired": "This answer is no longer kept and cannot be rated.",
    "reason_document": "Wrong document",
    "reason_sentence": "Wrong sentence",
    "reason_outdated": "Out of date",
    "reason_none": "No reason given",
    "report_title": "Questions in the last {days} days (since {since})",
    "report_counts": (
        "Questions: {questions} (people asking: {askers}). Answered: {answered} ({answered_share}), "
        "not answered: {unanswered}."
    ),
    "report_votes": "Ratings: 👍 {up} ({up_share}), 👎 {down} ({down_share}).",
    "report_reasons": "Reasons for 👎: {reasons}.",
    "report_lacking": (
        "What the archive lacks (questions without an answer or with 👎, similar ones together, most frequent first):"
    ),
    "report_nothing_lacking": "None.",
    "report_group": "{i}. “{question}” — questions: {times} (no answer: {unanswered}, with 👎: {down})",
    "report_variants": "Also asked as: {variants}",
    "report_more_groups": "…and {n} more groups (all in the CSV file).",
    "report_documents": "Documents whose answers got 👎:",
    "report_document": "• {title} — 👎 {down}",
    "report_empty": "No questions in the last {days} days.",
    "report_csv_caption": "Every question without an answer or with 👎, in groups of similar ones.",
    "report_csv_columns": "Group|Questions in group|Question|Asked (UTC)|Outcome|👎|Reasons|Answer's document|Answer",
    "report_outcome_unanswered": "no answer",
    "report_outcome_down": "👎",
    "report_memory_only": (
        "⚠ The question log cannot be saved (the folder {folder} is not writable), so it is kept only until the bot "
        "restarts."
    ),
    "quote": "“{text}”",
    "report_private_only": "The report holds staff's questions: ask for it with /report in a private chat with me.",
}

KK = {
    "start": (
        "Сәлеметсіз бе! Мен үкіметаралық комиссия құжаттары бойынша сұрақтарға жауап беремін.\n"
        "Сұрағыңызды жазыңыз, мысалы: <i>Комиссияның 22-отырысы қайда өтеді?</i>\n"
        "Топта мені атап өтіңіз немесе /ask сұрақ пәрменін қолданыңыз.\n"
        "Кез келген чатта: <code>@{username} сұрақ</code>.\n"
        "Жауапты нақтылау үшін оған жауап жазыңыз (мысалы: <i>Ал қашан?</i>). Жауапты 👍 немесе 👎 деп бағалаңыз — "
        "архивте не жетіспейтінін осылай білеміз."
    ),
    "not_found": (
        "Құжаттарда бұл сұраққа жауап жоқ. Сұрақты басқаша қойып көріңіз: отырысты, елді, саланы немесе күнді атаңыз."
    ),
    "source": "Дереккөз",
    "more": "Басқа дереккөздер ({n})",
    "passage": "Үзінді: {i} / {n}",
    "no_more": "Басқа дереккөз жоқ.",
    "expired": "Бұл жауап ескірді, сұрақты қайта қойыңыз.",
    "outdated": "Бұл жауаптан кейін құжаттар жаңартылды. Өзекті жауап алу үшін сұрақты қайта қойыңыз.",
    "edited_answer": "Өзгертілген сұраққа жауап:",
    "unknown_command": "Мұндай пәрмен жоқ. Сұрағыңызды кәдімгі хабарлама етіп жазыңыз немесе /help ашыңыз.",
    "not_understood": (
        "Мен комиссия құжаттары бойынша сұрақтарға жауап беремін. Сұрақ жазыңыз (фото сипаттамасында да болады), "
        "мысалы: Комиссияның 22-отырысы қайда өтеді?"
    ),
    "refused": "Кешіріңіз, бұл ботқа кіру шектелген. Рұқсат алу үшін әкімшіге хабарласыңыз.",
    "admins_only": "Бұл пәрмен тек әкімшілерге қолжетімді.",
    "rate_limited": "Сұрақтар тым жиі келіп жатыр. {seconds} секунд күте тұрыңыз.",
    "error": "Кешіріңіз, сұрақты өңдеу кезінде қате шықты. Сәл кейінірек қайталап көріңіз.",
    "ask_usage": "Сұрақты пәрменнен кейін жазыңыз: /ask Келесі отырыс қайда өтеді?",
    "inline_hint": "Комиссия құжаттары бойынша сұрақ енгізіңіз",
    "inline_refused": "Кіру шектелген",
    "inline_empty": "Жауап табылмады",
    "reindex_started": "Қайта индекстеу{full}: басталды…",
    "reindex_full": " (толық)",
    "reindex_running": "Қайта индекстеу жүріп жатыр; сіздікі ол аяқталған соң бірден басталады.",
    "reindex_progress": "Қайта индекстеу{full}: {stage}\n{bar}",
    "reindex_done": (
        "Индекс жаңартылды.\nҚұжаттар: {documents}, үзінділер: {chunks}.\n"
        "Қосылды: {added}, өзгертілді: {changed}, жойылды: {removed}, өткізіліп кетті: {skipped}."
    ),
    "reindex_failed": (
        "Қайта индекстеу ішкі қатеге байланысты сәтсіз аяқталды (толығырақ — бот журналында). Жауаптар бұрынғы "
        "индекс бойынша беріледі."
    ),
    "stage_reading": "құжаттарды оқып жатырмын, {done} / {total}",
    "stage_embedding": "жаңа мәтінді өңдеп жатырмын, {done} / {total} сөйлем",
    "stage_writing": "индексті сақтап жатырмын",
    "stage_publishing": "жаңартылған индексті қосып жатырмын",
    "docs_header": "Құжаттар ({n}), {page}-бет / {pages}:",
    "docs_empty": "Әзірге құжат жоқ. Қосу үшін файл жіберіңіз.",
    "stats": (
        "Жауаптардағы құжаттар: {documents}\nОқылмаған файлдар: {skipped}\n"
        "Мәтін үзінділері: {chunks}\nИндекс жаңартылды: {updated}\n"
        "{since} бері жауап берілген сұрақтар: {answered}"
    ),
    "stage_ocr": "сканерленген беттерді танып жатырмын, {total} беттің {done}",
    "ocr_mark": "🔎 Мәтін сканнан танылған",
    "ocr_mark_pages": "🔎 {total} беттің {pages} беті сканнан танылған",
    "ocr_cut": "{path}, {pages} бет: {reason}",
    "skip_ocr_unavailable": "скан танылмады: {package} бумасы орнатылмаған",
    "skip_ocr_off": "скан танылмады: тану өшірілген",
    "skip_page_limit": "скан танылмады: бір құжатқа {limit} бет шегі",
    "skip_page_timeout": "скан танылмады: бір бетті тану {seconds} с-тан асады",
    "skip_page_failed": "скан тану қатесінен танылмады",
    "skip_corrupt_image": "сурет зақымдалған",
    "skip_image_too_large": "сурет тым үлкен ({megapixels} Мпикс, шегі {limit})",
    "upload_type": "Қолдау көрсетілетін файлдар: {types}.",
    "upload_too_big": "Файл тым үлкен ({size} МБ, шегі {limit} МБ).",
    "upload_duplicate": "Бұл файл мұрағатта <code>{name}</code> деген атпен бар.",
    "upload_failed": "Файлды Telegram-нан алу мүмкін болмады. Оны қайта жіберіңіз.",
    "reindex_no_folder": (
        "Қайта индекстеу сәтсіз аяқталды: {folder} құжаттар қалтасы табылмады. DOCUMENTS_DIR баптауын тексеріңіз. "
        "Жауаптар бұрынғы индекс бойынша беріледі."
    ),
    "reindex_busy": (
        "Қайта индекстеу сәтсіз аяқталды: индексті басқа процесс тым ұзақ құрып жатыр. /reindex пәрменін кейінірек "
        "қайталаңыз."
    ),
    "stage_waiting": "боттан тыс іске қосылған қайта индекстеудің аяқталуын күтіп тұрмын",
    "more_names": "…және тағы {n}",
    "skip_unreadable": "файлды оқу мүмкін болмады",
    "skip_symlink_outside": "сілтеме құжаттар қалтасынан тыс жерге апарады",
    "skip_unsupported_format": "{format} пішіміне қолдау көрсетілмейді",
    "skip_empty": "файл бос",
    "skip_too_large": "файл тым үлкен ({size} МБ, шегі {limit} МБ)",
    "skip_cannot_read": "файлды оқуға ашу мүмкін емес",
    "skip_no_text": "файлда мәтін жоқ",
    "skip_damaged_text": "мәтін бүлінген (UTF-16 кодтауы қате)",
    "skip_binary": "бұл мәтін емес, екілік деректер",
    "skip_unknown_encoding": "мәтіннің кодтауын анықтау мүмкін болмады",
    "skip_not_pdf": "бұл PDF файлы емес (бүлінген немесе кеңейтімі қате)",
    "skip_encrypted_pdf": "PDF құпия сөзбен қорғалған",
    "skip_corrupt_pdf": "PDF бүлінген",
    "skip_no_text_layer": "PDF-те мәтін қабаты да, сканерленген беттер де жоқ",
    "skip_not_docx": "бұл DOCX файлы емес (бүлінген немесе кеңейтімі қате)",
    "skip_zip_bomb": "архив ашылғанда {mb} МБ болады — күдікті ретінде қабылданбады",
    "skip_corrupt_docx": "DOCX бүлінген",
    "skip_unexpected": "файлды оқу кезінде ішкі қате шықты (толығырақ — бот журналында)",
    "stats_changes": "{when} (қосылды {added}, өзгертілді {changed}, жойылды {removed})",
    "stats_no_index": "әлі құрылмаған",
    "docs_hint": "Құжатты ашу үшін нөмірін басыңыз. Жаңа нұсқа: дәл сондай атаумен файл жіберіңіз.",
    "delete_pick": "Қай құжатты жою керек? Құжаттар ({n}), {page}-бет / {pages}:",
    "doc_not_indexed": "индекстелмейді: {reason}",
    "doc_pending": "әлі индексте жоқ",
    "doc_page": (
        "📄 <b>{title}</b>\nДереккөз: {source}\nКүні: {date}\n"
        "Файл: <code>{name}</code>, {size}\nИндекстегі үзінділер: {chunks}\n"
        "Қосылған уақыты: {added}"
    ),
    "doc_replace_hint": "Жаңа нұсқамен ауыстыру үшін дәл сондай атаумен файл жіберіңіз.",
    "size_kb": "{n} КБ",
    "size_mb": "{n} МБ",
    "btn_edit": "✏️ Сипаттама",
    "btn_delete": "🗑 Жою",
    "btn_back": "« Тізімге",
    "btn_confirm_delete": "🗑 Иә, жою",
    "btn_cancel": "Болдырмау",
    "btn_title": "Атауы",
    "btn_source": "Дереккөз",
    "btn_date": "Күні",
    "btn_today": "Бүгін",
    "btn_done": "Дайын",
    "doc_gone": "Бұл құжат енді жоқ. Тізім: /docs",
    "delete_confirm": "«{title}» (<code>{name}</code>) құжатын жою керек пе? Оны /undo пәрменімен қайтаруға болады.",
    "delete_not_found": "«{query}» құжаты табылмады. Құжаттар тізімі: /docs",
    "delete_cancelled": "Жою болдырылмады.",
    "deleting": "🗑 <code>{name}</code> құжаты жойылды. Индексті жаңартып жатырмын…",
    "deleted_done": "🗑 <code>{name}</code> құжаты жойылды және енді жауаптарға кірмейді. Қайтару: /undo",
    "undo_nothing": "Болдырмайтын ештеңе жоқ: құжаттар әлі өзгертілмеген.",
    "undo_restored": "↩️ <code>{name}</code> құжатының бұрынғы нұсқасы қайтарылды.",
    "undo_removed": "↩️ <code>{name}</code> құжаты алынып тасталды: оның жүктелуі болдырылмады.",
    "undo_again": "/undo қайта берілсе, бәрі бұрынғы қалпына келеді.",
    "upload_added": "📥 Жаңа <code>{name}</code> құжаты сақталды.",
    "upload_replaced": "🔁 <code>{name}</code> құжаты жаңа нұсқамен ауыстырылды; бұрынғысы сақталды (қайтару: /undo).",
    "upload_unchanged": "<code>{name}</code> құжаты мұрағатта дәл осындай күйде бар — ештеңе өзгерген жоқ.",
    "upload_described": "<code>{name}</code> құжаты өзгерген жоқ; оның сипаттамасы жаңартылды.",
    "indexing_now": "Индекстеп жатырмын…",
    "indexing_queued": (
        "Қазір қайта индекстеу жүріп жатыр; бұл файл ол аяқталған соң бірден индекстеледі — хабарлаймын."
    ),
    "upload_ready": "✅ <code>{name}</code> индексте: бот ол бойынша жауап бере алады.",
    "upload_not_indexed": "⚠ <code>{name}</code> индекске кірмеді: {reason}.",
    "upload_refused": "<code>{name}</code> файлы қабылданбады: {reason}. Ол сақталмады.",
    "folder_not_writable": (
        "Сақтай алмаймын: {folder} қалтасына жазуға рұқсат жоқ. Бот пайдаланушысына оған жазу құқығын беріңіз "
        "(Docker-де оны :ro белгісінсіз қосыңыз)."
    ),
    "bad_date": "«{value}» күнін түсіну мүмкін болмады: оны 2025-07-15 немесе 15.07.2025 түрінде жазыңыз.",
    "meta_card": "<code>{name}</code> құжатының сипаттамасы:\nАтауы: {title}\nДереккөз: {source}\nКүні: {date}",
    "meta_card_hint": "Нені толтыру немесе өзгерту керек болса, соны басыңыз.",
    "meta_ask_title": "<code>{name}</code> құжатының атауын жіберіңіз.",
    "meta_ask_source": (
        "<code>{name}</code> құжатының дереккөзін (агенттік немесе ведомство) жіберіңіз немесе төменнен таңдаңыз."
    ),
    "meta_ask_date": "<code>{name}</code> құжатының күнін жіберіңіз: 2025-07-15 немесе 15.07.2025.",
    "meta_saved": "Сақталды. Индексті жаңартып жатырмын…",
    "meta_saved_done": "✅ Сақталды, жауаптар жаңа сипаттаманы көрсетіп тұр.",
    "meta_cancelled": "Жақсы, сипаттаманы өзгертпеймін.",
    "folder_missing": "Сақтай алмаймын: {folder} құжаттар қалтасы жоқ. DOCUMENTS_DIR баптауын тексеріңіз.",
    "voice_off": "Дауыстық сұрақтар әзірге танылмайды, сұрағыңызды мәтінмен жазыңыз.",
    "voice_too_long": "Жазба тым ұзын ({seconds} с, шегі {limit} с). Сұрақты қысқарақ қойыңыз немесе мәтінмен жазыңыз.",
    "voice_unreadable": "Жазбаны оқу мүмкін болмады. Сұрақты қайта жазып жіберіңіз немесе мәтінмен жазыңыз.",
    "voice_unclear": "Жазбадағы сұрақты түсіну мүмкін болмады. Анығырақ қайталаңыз немесе мәтінмен жазыңыз.",
    "voice_download_failed": "Жазбаны Telegram-нан алу мүмкін болмады. Сәл кейінірек қайта жіберіңіз.",
    "voice_heard": "🎤 «{text}»",
    "follow_up": "↪️ «{question}» сұрағының жалғасы",
    "welcome": "Оқасы жоқ! Жауап қате болса, оны 👎 деп белгілеңіз — архивте не жетпейтінін осылай білеміз.",
    "vote_thanks": "Бағаңызға рахмет!",
    "vote_why": "Рахмет! Жауаптың астында не дұрыс емес екенін көрсетуге болады.",
    "vote_reason_thanks": "Рахмет, себебі ескерілді.",
    "vote_expired": "Бұл жауап енді сақталмайды, оны бағалау мүмкін емес.",
    "reason_document": "Құжат дұрыс емес",
    "reason_sentence": "Сөйлем дұрыс емес",
    "reason_outdated": "Ескірген",
    "reason_none": "Себебі көрсетілмеген",
    "report_title": "Соңғы {days} күндегі сұрақтар туралы есеп ({since} бастап)",
    "report_counts": (
        "Сұрақтар: {questions} ({askers} адам қойды). Жауап берілгені: {answered} ({answered_share}), "
        "жауапсыз: {unanswered}."
    ),
    "report_votes": "Жауаптардың бағалары: 👍 {up} ({up_share}), 👎 {down} ({down_share}).",
    "report_reasons": "👎 себептері: {reasons}.",
    "report_lacking": (
        "Архивте не жетіспейді (жауапсыз және 👎 алған сұрақтар, ұқсастары бірге, жиі қойылғандары алдымен):"
    ),
    "report_nothing_lacking": "Ондай сұрақ жоқ.",
    "report_group": "{i}. «{question}» — сұрақтар: {times} (жауапсыз: {unanswered}, 👎 алғаны: {down})",
    "report_variants": "Басқаша да сұралды: {variants}",
    "report_more_groups": "…тағы {n} топ (барлығы CSV файлында).",
    "report_documents": "Жауаптары 👎 алған құжаттар:",
    "report_document": "• {title} — 👎 {down}",
    "report_empty": "Соңғы {days} күнде сұрақ болған жоқ.",
    "report_csv_caption": "Жауапсыз және 👎 алған барлық сұрақтар, ұқсастарының топтары бойынша.",
    "report_csv_columns": (
        "Топ|Топтағы сұрақтар|Сұрақ|Қойылған уақыты (UTC)|Нәтиже|👎|Себептері|Жауап құжаты|Жауап сөйлемі"
    ),
    "report_outcome_unanswered": "жауап жоқ",
    "report_outcome_down": "👎",
    "report_memory_only": (
        "⚠ Сұрақтар журналын дискіге сақтау мүмкін емес ({folder} қалтасына жазуға болмайды), сондықтан ол бот "
        "қайта іске қосылғанша ғана сақталады."
    ),
    "quote": "«{text}»",
    "report_private_only": "Есепте қызметкерлердің сұрақтары бар: оны ботпен жеке чатта /report пәрменімен сұраңыз.",
}

AZ = {
    "start": (
        "Salam! Mən hökumətlərarası komissiyanın sənədləri üzrə suallara cavab verirəm.\n"
        "Sadəcə sualınızı yazın, məsələn: <i>Komissiyanın 22-ci iclası harada keçiriləcək?</i>\n"
        "Qrupda məni qeyd edin və ya /ask sual əmrindən istifadə edin.\n"
        "İstənilən çatda: <code>@{username} sual</code>.\n"
        "Cavabı dəqiqləşdirmək üçün ona cavab yazın (məsələn: <i>Bəs nə vaxt?</i>). Cavabı 👍 və ya 👎 ilə "
        "qiymətləndirin — arxivdə nəyin çatışmadığını belə öyrənirik."
    ),
    "not_found": (
        "Sənədlərdə bu sualın cavabı yoxdur. Sualı başqa cür verməyə çalışın: "
        "iclası, ölkəni, sahəni və ya tarixi göstərin."
    ),
    "source": "Mənbə",
    "more": "Digər mənbələr ({n})",
    "passage": "Fraqment {i} / {n}",
    "no_more": "Başqa mənbə yoxdur.",
    "expired": "Bu cavab köhnəlib, sualı yenidən verin.",
    "outdated": "Bu cavabdan sonra sənədlər yeniləndi. Aktual cavab almaq üçün sualı yenidən verin.",
    "edited_answer": "Düzəliş edilmiş suala cavab:",
    "unknown_command": "Belə əmr yoxdur. Sualınızı adi mesajla yazın və ya /help açın.",
    "not_understood": (
        "Mən komissiyanın sənədləri üzrə suallara cavab verirəm. Sual yazın (şəklin açıqlamasında da olar), "
        "məsələn: Komissiyanın 22-ci iclası harada keçiriləcək?"
    ),
    "refused": "Bağışlayın, bu bota giriş məhduddur. Giriş üçün administratora müraciət edin.",
    "admins_only": "Bu əmr yalnız administratorlar üçündür.",
    "rate_limited": "Çox sual ardıcıl gəlir. Zəhmət olmasa, {seconds} saniyə gözləyin.",
    "error": "Bağışlayın, sual işlənərkən xəta baş verdi. Bir az sonra yenidən cəhd edin.",
    "ask_usage": "Sualı əmrdən sonra yazın: /ask Növbəti iclas harada keçiriləcək?",
    "inline_hint": "Komissiyanın sənədləri üzrə sual yazın",
    "inline_refused": "Giriş məhduddur",
    "inline_empty": "Cavab tapılmadı",
    "reindex_started": "Yenidən indeksləmə{full}: başlayıram…",
    "reindex_full": " (tam)",
    "reindex_running": "Yenidən indeksləmə artıq gedir; sizinki onun ardınca dərhal başlayacaq.",
    "reindex_progress": "Yenidən indeksləmə{full}: {stage}\n{bar}",
    "reindex_done": (
        "İndeks yeniləndi.\nSənədlər: {documents}, fraqmentlər: {chunks}.\n"
        "Əlavə edildi: {added}, dəyişdirildi: {changed}, silindi: {removed}, buraxıldı: {skipped}."
    ),
    "reindex_failed": (
        "Yenidən indeksləmə daxili xəta səbəbindən alınmadı (ətraflı — botun jurnalında). Cavablar əvvəlki indeks "
        "üzrə verilir."
    ),
    "stage_reading": "sənədləri oxuyuram, {done} / {total}",
    "stage_embedding": "yeni mətni emal edirəm, {done} / {total} cümlə",
    "stage_writing": "indeksi saxlayıram",
    "stage_publishing": "yenilənmiş indeksi qoşuram",
    "docs_header": "Sənədlər ({n}), səhifə {page} / {pages}:",
    "docs_empty": "Hələ sənəd yoxdur. Əlavə etmək üçün fayl göndərin.",
    "stats": (
        "Cavablarda olan sənədlər: {documents}\nOxunmayan fayllar: {skipped}\n"
        "Mətn fraqmentləri: {chunks}\nİndeks yeniləndi: {updated}\n"
        "{since} tarixindən bəri cavablandırılan suallar: {answered}"
    ),
    "stage_ocr": "skan edilmiş səhifələri tanıyıram, {total} səhifədən {done}",
    "ocr_mark": "🔎 Mətn skandan tanınıb",
    "ocr_mark_pages": "🔎 {total} səhifədən {pages} skandan tanınıb",
    "ocr_cut": "{path}, səhifə {pages}: {reason}",
    "skip_ocr_unavailable": "skan tanınmadı: {package} paketi quraşdırılmayıb",
    "skip_ocr_off": "skan tanınmadı: tanıma söndürülüb",
    "skip_page_limit": "skan tanınmadı: sənəd üçün {limit} səhifə həddi",
    "skip_page_timeout": "skan tanınmadı: bir səhifənin tanınması {seconds} saniyədən çox çəkir",
    "skip_page_failed": "tanıma xətası səbəbindən skan tanınmadı",
    "skip_corrupt_image": "şəkil zədələnib",
    "skip_image_too_large": "şəkil çox böyükdür ({megapixels} meqapiksel, hədd {limit})",
    "upload_type": "Dəstəklənən fayllar: {types}.",
    "upload_too_big": "Fayl çox böyükdür ({size} MB, hədd {limit} MB).",
    "upload_duplicate": "Bu fayl arxivdə artıq <code>{name}</code> adı ilə var.",
    "upload_failed": "Faylı Telegram-dan almaq mümkün olmadı. Onu yenidən göndərin.",
    "reindex_no_folder": (
        "Yenidən indeksləmə alınmadı: {folder} sənəd qovluğu tapılmadı. DOCUMENTS_DIR parametrini yoxlayın. Cavablar "
        "əvvəlki indeks üzrə verilir."
    ),
    "reindex_busy": (
        "Yenidən indeksləmə alınmadı: indeksi çox uzun müddətdir başqa proses qurur. /reindex əmrini sonra təkrarlayın."
    ),
    "stage_waiting": "botdan kənarda başladılmış yenidən indeksləmənin bitməsini gözləyirəm",
    "more_names": "…və daha {n}",
    "skip_unreadable": "faylı oxumaq mümkün olmadı",
    "skip_symlink_outside": "keçid sənəd qovluğundan kənara aparır",
    "skip_unsupported_format": "{format} formatı dəstəklənmir",
    "skip_empty": "fayl boşdur",
    "skip_too_large": "fayl çox böyükdür ({size} MB, hədd {limit} MB)",
    "skip_cannot_read": "faylı oxumaq üçün açmaq mümkün deyil",
    "skip_no_text": "faylda mətn yoxdur",
    "skip_damaged_text": "mətn zədələnib (UTF-16 kodlaşdırması xətalıdır)",
    "skip_binary": "bu mətn deyil, ikili verilənlərdir",
    "skip_unknown_encoding": "mətnin kodlaşdırmasını müəyyən etmək mümkün olmadı",
    "skip_not_pdf": "bu PDF faylı deyil (zədələnib və ya uzantısı səhvdir)",
    "skip_encrypted_pdf": "PDF parolla qorunur",
    "skip_corrupt_pdf": "PDF zədələnib",
    "skip_no_text_layer": "PDF-də mətn qatı da, skan edilmiş səhifə də yoxdur",
    "skip_not_docx": "bu DOCX faylı deyil (zədələnib və ya uzantısı səhvdir)",
    "skip_zip_bomb": "arxiv açılanda {mb} MB olur — şübhəli kimi rədd edildi",
    "skip_corrupt_docx": "DOCX zədələnib",
    "skip_unexpected": "faylı oxuyarkən daxili xəta baş verdi (ətraflı — botun jurnalında)",
    "stats_changes": "{when} (əlavə edildi {added}, dəyişdirildi {changed}, silindi {removed})",
    "stats_no_index": "hələ qurulmayıb",
    "docs_hint": "Sənədi açmaq üçün nömrəyə basın. Yeni versiya: eyni adlı fayl göndərin.",
    "delete_pick": "Hansı sənəd silinsin? Sənədlər ({n}), səhifə {page} / {pages}:",
    "doc_not_indexed": "indekslənmir: {reason}",
    "doc_pending": "hələ indeksdə deyil",
    "doc_page": (
        "📄 <b>{title}</b>\nMənbə: {source}\nTarix: {date}\n"
        "Fayl: <code>{name}</code>, {size}\nİndeksdəki fraqmentlər: {chunks}\n"
        "Əlavə edilib: {added}"
    ),
    "doc_replace_hint": "Yeni versiya ilə əvəz etmək üçün eyni adlı fayl göndərin.",
    "size_kb": "{n} KB",
    "size_mb": "{n} MB",
    "btn_edit": "✏️ Təsvir",
    "btn_delete": "🗑 Sil",
    "btn_back": "« Siyahıya",
    "btn_confirm_delete": "🗑 Bəli, sil",
    "btn_cancel": "Ləğv et",
    "btn_title": "Ad",
    "btn_source": "Mənbə",
    "btn_date": "Tarix",
    "btn_today": "Bu gün",
    "btn_done": "Hazır",
    "doc_gone": "Bu sənəd artıq yoxdur. Siyahı: /docs",
    "delete_confirm": "«{title}» (<code>{name}</code>) sənədi silinsin? Onu /undo əmri ilə qaytarmaq olar.",
    "delete_not_found": "«{query}» sənədi tapılmadı. Sənədlərin siyahısı: /docs",
    "delete_cancelled": "Silinmə ləğv edildi.",
    "deleting": "🗑 <code>{name}</code> sənədi silindi. İndeksi yeniləyirəm…",
    "deleted_done": "🗑 <code>{name}</code> sənədi silindi və artıq cavablarda istifadə olunmur. Qaytarmaq: /undo",
    "undo_nothing": "Ləğv ediləcək heç nə yoxdur: sənədlər hələ dəyişməyib.",
    "undo_restored": "↩️ <code>{name}</code> sənədinin əvvəlki versiyası qaytarıldı.",
    "undo_removed": "↩️ <code>{name}</code> sənədi götürüldü: onun yüklənməsi ləğv edildi.",
    "undo_again": "Təkrar /undo hər şeyi əvvəlki kimi qaytaracaq.",
    "upload_added": "📥 Yeni <code>{name}</code> sənədi saxlanıldı.",
    "upload_replaced": (
        "🔁 <code>{name}</code> sənədi yeni versiya ilə əvəz edildi; əvvəlkisi saxlanılıb (qaytarmaq: /undo)."
    ),
    "upload_unchanged": "<code>{name}</code> sənədi arxivdə məhz bu şəkildə var — heç nə dəyişmədi.",
    "upload_described": "<code>{name}</code> sənədi dəyişmədi; onun təsviri yeniləndi.",
    "indexing_now": "İndeksləyirəm…",
    "indexing_queued": "Hazırda yenidən indeksləmə gedir; bu fayl onun ardınca dərhal indekslənəcək — xəbər verəcəyəm.",
    "upload_ready": "✅ <code>{name}</code> indeksdədir: bot artıq onun üzrə cavab verir.",
    "upload_not_indexed": "⚠ <code>{name}</code> indeksə düşmədi: {reason}.",
    "upload_refused": "<code>{name}</code> faylı qəbul edilmədi: {reason}. O, saxlanılmadı.",
    "folder_not_writable": (
        "Saxlaya bilmirəm: {folder} qovluğuna yazmaq mümkün deyil. Bot istifadəçisinə ona yazmaq hüququ verin "
        "(Docker-də onu :ro olmadan qoşun)."
    ),
    "bad_date": "«{value}» tarixini anlamaq mümkün olmadı: onu 2025-07-15 və ya 15.07.2025 kimi yazın.",
    "meta_card": "<code>{name}</code> sənədinin təsviri:\nAd: {title}\nMənbə: {source}\nTarix: {date}",
    "meta_card_hint": "Nəyi doldurmaq və ya dəyişmək lazımdırsa, ona basın.",
    "meta_ask_title": "<code>{name}</code> sənədinin adını göndərin.",
    "meta_ask_source": "<code>{name}</code> sənədinin mənbəyini (agentlik və ya qurum) göndərin və ya aşağıdan seçin.",
    "meta_ask_date": "<code>{name}</code> sənədinin tarixini göndərin: 2025-07-15 və ya 15.07.2025.",
    "meta_saved": "Saxlanıldı. İndeksi yeniləyirəm…",
    "meta_saved_done": "✅ Saxlanıldı, cavablar artıq yeni təsviri göstərir.",
    "meta_cancelled": "Yaxşı, təsviri dəyişmirəm.",
    "folder_missing": "Saxlaya bilmirəm: {folder} sənəd qovluğu yoxdur. DOCUMENTS_DIR parametrini yoxlayın.",
    "voice_off": "Səsli suallar hələ tanınmır, sualınızı mətnlə yazın.",
    "voice_too_long": "Səsli mesaj çox uzundur ({seconds} san, hədd {limit} san). Sualı qısa verin və ya mətnlə yazın.",
    "voice_unreadable": "Səsli mesajı oxumaq mümkün olmadı. Sualı yenidən qeyd edin və ya mətnlə yazın.",
    "voice_unclear": "Səsli mesajdakı sualı anlamaq mümkün olmadı. Daha aydın təkrarlayın və ya mətnlə yazın.",
    "voice_download_failed": "Səsli mesajı Telegram-dan almaq mümkün olmadı. Bir az sonra yenidən göndərin.",
    "voice_heard": "🎤 «{text}»",
    "follow_up": "↪️ «{question}» sualının davamı",
    "welcome": "Buyurun! Cavab səhvdirsə, onu 👎 ilə qeyd edin — arxivdə nəyin çatışmadığını belə öyrənirik.",
    "vote_thanks": "Qiymətləndirməyə görə təşəkkür edirik!",
    "vote_why": "Təşəkkür edirik! Cavabın altında nəyin səhv olduğunu göstərə bilərsiniz.",
    "vote_reason_thanks": "Təşəkkür edirik, səbəb qeydə alındı.",
    "vote_expired": "Bu cavab artıq saxlanmır, onu qiymətləndirmək mümkün deyil.",
    "reason_document": "Səhv sənəd",
    "reason_sentence": "Səhv cümlə",
    "reason_outdated": "Köhnəlib",
    "reason_none": "Səbəb göstərilməyib",
    "report_title": "Son {days} gündə verilən suallar üzrə hesabat ({since} tarixindən)",
    "report_counts": (
        "Suallar: {questions} ({askers} nəfər soruşub). Cavablanan: {answered} ({answered_share}), "
        "cavabsız: {unanswered}."
    ),
    "report_votes": "Cavabların qiymətləri: 👍 {up} ({up_share}), 👎 {down} ({down_share}).",
    "report_reasons": "👎 səbəbləri: {reasons}.",
    "report_lacking": (
        "Arxivdə nə çatışmır (cavabsız və 👎 alan suallar, oxşarlar birlikdə, tez-tez verilənlər əvvəlcə):"
    ),
    "report_nothing_lacking": "Belə sual yoxdur.",
    "report_group": "{i}. «{question}» — suallar: {times} (cavabsız: {unanswered}, 👎 alan: {down})",
    "report_variants": "Başqa cür də soruşulub: {variants}",
    "report_more_groups": "…və daha {n} qrup (hamısı CSV faylındadır).",
    "report_documents": "Cavabları 👎 alan sənədlər:",
    "report_document": "• {title} — 👎 {down}",
    "report_empty": "Son {days} gündə sual verilməyib.",
    "report_csv_caption": "Cavabsız və 👎 alan bütün suallar, oxşarların qrupları üzrə.",
    "report_csv_columns": (
        "Qrup|Qrupdakı suallar|Sual|Verilmə vaxtı (UTC)|Nəticə|👎|Səbəblər|Cavabın sənədi|Cavab cümləsi"
    ),
    "report_outcome_unanswered": "cavab yoxdur",
    "report_outcome_down": "👎",
    "report_memory_only": (
        "⚠ Suallar jurnalını diskdə saxlamaq mümkün deyil ({folder} qovluğuna yazmaq olmur), ona görə o yalnız bot "
        "yenidən işə salınana qədər saxlanır."
    ),
    "quote": "«{text}»",
    "report_private_only": "Hesabatda əməkdaşların sualları var: onu botla şəxsi çatda /report əmri ilə istəyin.",
}

COMMANDS = {
    "ru": [("ask", "Задать вопрос"), ("help", "Как пользоваться ботом")],
    "en": [("ask", "Ask a question"), ("help", "How to use the bot")],
    "kk": [("ask", "Сұрақ қою"), ("help", "Ботты қалай пайдалану керек")],
    "az": [("ask", "Sual vermək"), ("help", "Botdan necə istifadə etməli")],
}
ADMIN_COMMANDS = {
    "ru": [
        ("reindex", "Переиндексировать документы"),
        ("docs", "Список документов"),
        ("delete", "Удалить документ"),
        ("undo", "Отменить последнее изменение документов"),
        ("stats", "Статистика"),
        ("report", "Отчёт: оценки и чего не хватает в архиве"),
    ],
    "en": [
        ("reindex", "Reindex the documents"),
        ("docs", "List documents"),
        ("delete", "Delete a document"),
        ("undo", "Undo the last change of documents"),
        ("stats", "Statistics"),
        ("report", "Report: ratings and what the archive lacks"),
    ],
    "kk": [
        ("reindex", "Құжаттарды қайта индекстеу"),
        ("docs", "Құжаттар тізімі"),
        ("delete", "Құжатты жою"),
        ("undo", "Құжаттардағы соңғы өзгерісті болдырмау"),
        ("stats", "Статистика"),
        ("report", "Есеп: бағалар және архивте не жетіспейді"),
    ],
    "az": [
        ("reindex", "Sənədləri yenidən indekslə"),
        ("docs", "Sənədlərin siyahısı"),
        ("delete", "Sənədi sil"),
        ("undo", "Sənədlərdəki son dəyişikliyi ləğv et"),
        ("stats", "Statistika"),
        ("report", "Hesabat: qiymətlər və arxivdə nə çatışmır"),
    ],
}


LANGUAGES: dict[str, dict[str, str]] = {"ru": RU, "en": EN, "kk": KK, "az": AZ}
DEFAULT_LANGUAGE = "ru"  # the commission's working language, for anyone whose language we do not speak


class Texts:
    """The strings of one language; ``t("key", n=3)`` formats one."""

    def __init__(self, language: str) -> None:
        self.language = language if language in LANGUAGES else DEFAULT_LANGUAGE
        self._strings = LANGUAGES[self.language]

    def __call__(self, key: str, **values: object) -> str:
        return self._strings[key].format(**values)

    def html(self, key: str, **values: object) -> str:
        """The string as Telegram HTML: its own markup kept, every value escaped (file names, titles, reasons)."""
        return self(key, **{name: escape(str(value)) for name, value in values.items()})


def texts_for(language_code: str | None) -> Texts:
    """Telegram's language_code ("kk", "az", "en-US", ...) to the interface language."""
    return Texts((language_code or "").lower().split("-")[0])
