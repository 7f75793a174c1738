"""Start the bot: long polling by default, webhook (aiohttp) when WEBHOOK_URL is set."""

from __future__ import annotations

import asyncio
import logging
import signal

from aiogram import Bot, Dispatcher
from aiogram.utils.token import TokenValidationError
from aiogram.webhook.aiohttp_server import setup_application
from aiohttp import web

from bot.app import build_dispatcher, create_bot, set_commands
from bot.bot_api import StartupFailed, optional, required
from bot.config import Settings
from bot.logsafety import install_redaction
from bot.speech import create_speech_service
from bot.webhook import UpdateRequestHandler
from index.builder import MissingDocumentsFolder
from index.engine import Engine

logger = logging.getLogger(__name__)
NO_WEBHOOK_SECRET = "WEBHOOK_SECRET must be set in webhook mode (Telegram sends it with every request)"


def secrets_of(settings: Settings) -> list[str]:
    return [s.get_secret_value() for s in (settings.bot_token, settings.webhook_secret) if s is not None]


def prepare_engine(settings: Settings) -> Engine:
    """Load the model and the index once, before the first update is taken."""
    engine = Engine.from_settings(settings)
    try:
        report = engine.ensure_index()
    except MissingDocumentsFolder as exc:
        raise StartupFailed(f"{exc} (set DOCUMENTS_DIR)") from None
    if report is not None:
        logger.info("built the index: %s", report.summary().splitlines()[0])
    elif engine.is_stale():
        logger.warning("documents changed since the index was built; an admin can /reindex")
    engine.embedder.embed_queries(["warm-up"])  # the first real question should not pay for this
    return engine


def create_webhook_app(dp: Dispatcher, bot: Bot, settings: Settings) -> web.Application:
    """The webhook endpoint (secret header required) and /healthz; nothing else is served."""
    if settings.webhook_secret is None:
        raise StartupFailed(NO_WEBHOOK_SECRET)
    app = web.Application()
    handler = UpdateRequestHandler(dp, bot, secret_token=settings.webhook_secret.get_secret_value())
    handler.register(app, path=settings.webhook_path)
    setup_application(app, dp, bot=bot)

    async def healthz(request: web.Request) -> web.Response:
        stats = dp["answers"].engine.stats()
        return web.json_response({"status": "ok", "index_version": stats["version"], "documents": stats["documents"]})

    app.router.add_get("/healthz", healthz)
    return app


async def _run_webhook(dp: Dispatcher, bot: Bot, settings: Settings) -> None:
    app = create_webhook_app(dp, bot, settings)
    assert settings.webhook_url is not None and settings.webhook_secret is not None
    url = settings.webhook_url.rstrip("/") + settings.webhook_path
    await required(
        bot.set_webhook(
            url, secret_token=settings.webhook_secret.get_secret_value(), allowed_updates=dp.resolve_used_update_types()
        ),
        f"setWebhook {url}",
    )
    runner = web.AppRunner(app, access_log=None)  # one line per update would drown what matters
    await runner.setup()
    site = web.TCPSite(runner, settings.webhook_host, settings.webhook_port)
    await site.start()
    logger.info("webhook server on %s:%d%s", settings.webhook_host, settings.webhook_port, settings.webhook_path)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    logger.info("stopping: finishing answers in flight")
    # Stops listening, waits for the updates in flight, runs the dispatcher's shutdown; the session is
    # closed after that, by _main, so no answer loses its connection half-way.
    await runner.cleanup()


async def start_polling(dp: Dispatcher, bot: Bot, settings: Settings, handle_signals: bool = True, **kwargs) -> None:
    """Long polling with bounded concurrency: a burst of updates queues instead of flooding the loop."""
    await dp.start_polling(
        bot,
        allowed_updates=dp.resolve_used_update_types(),
        handle_signals=handle_signals,
        tasks_concurrency_limit=settings.max_concurrent_updates,
        **kwargs,
    )


async def _main(settings: Settings) -> None:
    try:
        bot = create_bot(settings)
    except TokenValidationError:
        raise StartupFailed("BOT_TOKEN is not a bot token (it looks like 123456789:AA...; ask @BotFather)") from None
    try:
        me = await required(bot.me(), "getMe")  # a wrong token fails here, before the model is loaded
        logger.info("signed in as @%s", me.username)
        engine = await asyncio.to_thread(prepare_engine, settings)
        speech = await asyncio.to_thread(create_speech_service, settings)  # loads the whisper model once
        dp = build_dispatcher(settings, engine, speech=speech)
        await set_commands(bot, settings)
        if settings.webhook_url:
            await _run_webhook(dp, bot, settings)
        else:
            # A webhook left from webhook mode would block getUpdates.
            await optional(bot.delete_webhook(), "deleteWebhook")
            await start_polling(dp, bot, settings)
    finally:
        await bot.session.close()


def run_bot(settings: Settings) -> int:
    """Run until stopped; a start-up failure is one line on the log and exit status 2, never a traceback."""
    install_redaction(secrets_of(settings))
    try:
        if settings.webhook_url and settings.webhook_secret is None:
            raise StartupFailed(NO_WEBHOOK_SECRET)  # said before anything is loaded
        asyncio.run(_main(settings))
    except StartupFailed as exc:
        logger.error("cannot start: %s", exc)
        return 2
    return 0
