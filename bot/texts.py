"""Interface strings in Russian (default), English, Kazakh and Azerbaijani, chosen by the user's Telegram language.

Every language has every key with the same placeholders (tests/test_texts.py checks it): a string
added in one language is added in all four.
"""

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
    "outdated": "Документы обновились после этого ответа. Задайте вопрос ещё раз, чтобы получить актуальный ответ.",
    "edited_answer": "Ответ на исправленный вопрос:",
    "unknown_command": "Такой команды нет. Напишите вопрос обычным сообщением или откройте /help.",
    "not_understood": (
        "Я отвечаю на вопросы, написанные текстом: в сообщении или в подписи к фото или файлу. "
        "Напишите вопрос, например: Где пройдет 22-е заседание комиссии?"
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
    "outdated": "The documents have been updated since this answer. Please ask again for an up-to-date answer.",
    "edited_answer": "Answer to the edited question:",
    "unknown_command": "There is no such command. Type your question as a message, or see /help.",
    "not_understood": (
        "I answer questions written as text: in a message, or in the caption of a photo or file. "
        "Type a question, e.g.: Where will the 22nd session of the commission be held?"
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

KK = {
    "start": (
        "Сәлеметсіз бе! Мен үкіметаралық комиссия құжаттары бойынша сұрақтарға жауап беремін.\n"
        "Сұрағыңызды жазыңыз, мысалы: <i>Комиссияның 22-отырысы қайда өтеді?</i>\n"
        "Топта мені атап өтіңіз немесе /ask сұрақ пәрменін қолданыңыз.\n"
        "Кез келген чатта: <code>@{username} сұрақ</code>."
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
        "Мен мәтінмен жазылған сұрақтарға жауап беремін: хабарламада немесе фото не файлдың сипаттамасында. "
        "Сұрақ жазыңыз, мысалы: Комиссияның 22-отырысы қайда өтеді?"
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
    "reindex_running": "Қайта индекстеу жүріп жатыр. Оның аяқталуын күтіңіз.",
    "reindex_progress": "Қайта индекстеу{full}: {stage} {done} / {total}…",
    "reindex_done": (
        "Индекс жаңартылды: {version}.\nҚұжаттар: {documents}, үзінділер: {chunks}.\n"
        "Қосылды: {added}, өзгертілді: {changed}, жойылды: {removed}, өткізіліп кетті: {skipped}."
    ),
    "reindex_failed": "Қайта индекстеу сәтсіз аяқталды: {reason}. Жауаптар бұрынғы индекс бойынша беріледі.",
    "stage_reading": "құжаттарды оқу",
    "stage_embedding": "мәтіндерді өңдеу",
    "stage_writing": "индексті жазу",
    "stage_publishing": "жариялау",
    "docs_header": "Құжаттар ({n}):",
    "docs_empty": "Әзірге құжат жоқ.",
    "docs_skipped": "Индекстеу кезінде өткізіліп кеткендер:",
    "stats": (
        "Құжаттар: {documents}\nҮзінділер: {chunks}\nМодель: {model}\nИндекс нұсқасы: {version}\n"
        "Соңғы қайта индекстеу: {last}\nЖауап берілген сұрақтар: {answered}"
    ),
    "never": "іске қосылғаннан бері болған жоқ",
    "upload_type": "Қолдау көрсетілетін файлдар: {types}.",
    "upload_too_big": "Файл тым үлкен ({size} МБ, шегі {limit} МБ).",
    "upload_saved": "Файл <code>{name}</code> деп сақталды. Индекстеп жатырмын…",
    "upload_duplicate": "Мұндай файл бар: <code>{name}</code>.",
    "upload_failed": "Файлды жүктеу мүмкін болмады: {reason}.",
}

AZ = {
    "start": (
        "Salam! Mən hökumətlərarası komissiyanın sənədləri üzrə suallara cavab verirəm.\n"
        "Sadəcə sualınızı yazın, məsələn: <i>Komissiyanın 22-ci iclası harada keçiriləcək?</i>\n"
        "Qrupda məni qeyd edin və ya /ask sual əmrindən istifadə edin. İstənilən çatda: <code>@{username} sual</code>."
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
        "Mən mətnlə yazılmış suallara cavab verirəm: mesajda və ya şəkil, fayl açıqlamasında. "
        "Sual yazın, məsələn: Komissiyanın 22-ci iclası harada keçiriləcək?"
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
    "reindex_running": "Yenidən indeksləmə artıq gedir. Onun bitməsini gözləyin.",
    "reindex_progress": "Yenidən indeksləmə{full}: {stage} {done} / {total}…",
    "reindex_done": (
        "İndeks yeniləndi: {version}.\nSənədlər: {documents}, fraqmentlər: {chunks}.\n"
        "Əlavə edildi: {added}, dəyişdirildi: {changed}, silindi: {removed}, buraxıldı: {skipped}."
    ),
    "reindex_failed": "Yenidən indeksləmə alınmadı: {reason}. Cavablar əvvəlki indeks üzrə verilir.",
    "stage_reading": "sənədlərin oxunması",
    "stage_embedding": "mətnlərin işlənməsi",
    "stage_writing": "indeksin yazılması",
    "stage_publishing": "dərc edilməsi",
    "docs_header": "Sənədlər ({n}):",
    "docs_empty": "Hələ sənəd yoxdur.",
    "docs_skipped": "İndeksləmə zamanı buraxılanlar:",
    "stats": (
        "Sənədlər: {documents}\nFraqmentlər: {chunks}\nModel: {model}\nİndeks versiyası: {version}\n"
        "Son yenidən indeksləmə: {last}\nCavablandırılan suallar: {answered}"
    ),
    "never": "işə salınandan bəri olmayıb",
    "upload_type": "Dəstəklənən fayllar: {types}.",
    "upload_too_big": "Fayl çox böyükdür ({size} MB, hədd {limit} MB).",
    "upload_saved": "Fayl <code>{name}</code> adı ilə saxlanıldı. İndeksləyirəm…",
    "upload_duplicate": "Belə fayl artıq var: <code>{name}</code>.",
    "upload_failed": "Faylı yükləmək mümkün olmadı: {reason}.",
}

COMMANDS = {
    "ru": [("ask", "Задать вопрос"), ("help", "Как пользоваться ботом")],
    "en": [("ask", "Ask a question"), ("help", "How to use the bot")],
    "kk": [("ask", "Сұрақ қою"), ("help", "Ботты қалай пайдалану керек")],
    "az": [("ask", "Sual vermək"), ("help", "Botdan necə istifadə etməli")],
}
ADMIN_COMMANDS = {
    "ru": [("reindex", "Переиндексировать документы"), ("docs", "Список документов"), ("stats", "Статистика")],
    "en": [("reindex", "Reindex the documents"), ("docs", "List documents"), ("stats", "Statistics")],
    "kk": [("reindex", "Құжаттарды қайта индекстеу"), ("docs", "Құжаттар тізімі"), ("stats", "Статистика")],
    "az": [("reindex", "Sənədləri yenidən indekslə"), ("docs", "Sənədlərin siyahısı"), ("stats", "Statistika")],
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


def texts_for(language_code: str | None) -> Texts:
    """Telegram's language_code ("kk", "az", "en-US", ...) to the interface language."""
    return Texts((language_code or "").lower().split("-")[0])
