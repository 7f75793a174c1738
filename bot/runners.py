"""Start the bot: long polling by default, webhook (aiohttp) when WEBHOOK_URL is set."""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import Coroutine

from aiogram import Bot, Dispatcher
from aiogram.utils.token import TokenValidationError
from aiogram.webhook.aiohttp_server import setup_application
from aiohttp import web

from bot.app import build_dispatcher, create_bot, set_commands
from bot.bot_api import StartupFailed, optional, required
from bot.config import Settings
from bot.health import Heartbeat, QuietHealthyChecks, WebhookStatus
from bot.logsafety import install_redaction
from bot.speech import create_speech_service
from bot.telegram_liveness import install_heartbeat, register_webhook
from bot.webhook import QuietRefusedUpdates, UpdateRequestHandler
from index.builder import MissingDocumentsFolder
from index.engine import Engine
from index.folders import warn_unwritable

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
    warn_unwritable(documents_dir=settings.documents_dir, index_dir=settings.index_dir)
    return engine


def create_webhook_app(
    dp: Dispatcher, bot: Bot, settings: Settings, status: WebhookStatus | None = None
) -> web.Application:
    """The webhook endpoint (secret header required) and /healthz (503 until ``status`` says registered)."""
    if settings.webhook_secret is None:
        raise StartupFailed(NO_WEBHOOK_SECRET)
    app = web.Application()
    handler = UpdateRequestHandler(dp, bot, secret_token=settings.webhook_secret.get_secret_value())
    handler.register(app, path=settings.webhook_path)
    setup_application(app, dp, bot=bot)

    async def healthz(request: web.Request) -> web.Response:
        stats = dp["answers"].engine.stats()
        body = {"status": "ok", "index_version": stats["version"], "documents": stats["documents"]}
        if status is not None and not status.registered:
            return web.json_response({**body, "status": "starting", **status.as_json()}, status=503)
        return web.json_response({**body, **(status.as_json() if status else {})})

    app.router.add_get("/healthz", healthz)
    return app


async def _run_webhook(dp: Dispatcher, bot: Bot, settings: Settings) -> None:
    """Serve first, then register with Telegram (retried while it is unreachable), then set the menus."""
    status = WebhookStatus()
    access_log = logging.getLogger("aiohttp.access")
    access_log.addFilter(QuietHealthyChecks())
    access_log.addFilter(QuietRefusedUpdates(settings.webhook_path))  # the handler logs those in one line
    app = create_webhook_app(dp, bot, settings, status)
    assert settings.webhook_url is not None and settings.webhook_secret is not None
    url = settings.webhook_url.rstrip("/") + settings.webhook_path
    secret = settings.webhook_secret.get_secret_value()
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, settings.webhook_host, settings.webhook_port)
    await site.start()
    logger.info("webhook server on %s:%d%s", settings.webhook_host, settings.webhook_port, settings.webhook_path)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)

    async def register() -> None:
        allowed = dp.resolve_used_update_types()
        # Outages are waited out inside; what is left is Telegram saying no (a wrong token, a URL it will
        # not call), which ends the start in one line.
        await required(
            register_webhook(lambda: bot.set_webhook(url, secret_token=secret, allowed_updates=allowed), status),
            f"setWebhook {url}",
        )
        await set_commands(bot, settings)

    try:
        await run_until_stopped(stop, register())
    finally:
        logger.info("stopping: finishing answers in flight")
        # Stops listening, waits for the updates in flight, runs the dispatcher's shutdown; the session is
        # closed after that, by _main, so no answer loses its connection half-way.
        await runner.cleanup()


async def run_until_stopped(stop: asyncio.Event, start_up: Coroutine[object, object, None]) -> None:
    """Run ``start_up`` while serving; a stop signal cancels it, its failure (a refusal) ends the serving."""
    work = asyncio.create_task(start_up)
    stopped = asyncio.create_task(stop.wait())
    try:
        done, _ = await asyncio.wait({work, stopped}, return_when=asyncio.FIRST_COMPLETED)
        if work in done:
            work.result()  # re-raises Telegram's refusal
            await stopped
    finally:
        for task in (work, stopped):
            task.cancel()
        await asyncio.gather(work, stopped, return_exceptions=True)


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
    heartbeat = Heartbeat(settings.heartbeat_file)
    heartbeat.reset()  # a file left by an earlier process must not vouch for this one while it starts
    try:
        bot = create_bot(settings)
    except TokenValidationError:
        raise StartupFailed("BOT_TOKEN is not a bot token (it looks like 123456789:AA...; ask @BotFather)") from None
    try:
        if not settings.webhook_url:
            # A wrong token fails here, before the model is loaded. (Webhook mode learns it from setWebhook,
            # which it retries while Telegram is unreachable.)
            me = await required(bot.me(), "getMe")
            logger.info("signed in as @%s", me.username)
        engine = await asyncio.to_thread(prepare_engine, settings)
        speech = await asyncio.to_thread(create_speech_service, settings)  # loads the whisper model once
        dp = build_dispatcher(settings, engine, speech=speech)
        if settings.webhook_url:
            await _run_webhook(dp, bot, settings)
        else:
            install_heartbeat(bot, heartbeat)  # what the healthcheck reads
            await set_commands(bot, settings)
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
