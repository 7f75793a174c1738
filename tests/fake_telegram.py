"""A fake Bot API server on 127.0.0.1 for end-to-end tests: real HTTP, scripted faults.

The bot under test talks to it exactly as to Telegram (``TELEGRAM_API_URL``). Tests push
updates, then await the calls the bot made. Faults: scripted HTTP errors per method, slow
responses, a "down" switch that refuses connections, and (opt-in) Telegram's flood control on edits.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import math
import time
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

BOT_USER = {"id": 4242, "is_bot": True, "first_name": "Commission", "username": "commission_test_bot"}
TOKEN = "4242:TEST-token-SECRET-value"


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    at: float = field(default_factory=time.monotonic)
    result: Any = None  # what the fake answered (a sent message carries its message_id)


class FakeTelegram:
    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.updates: list[dict] = []
        self.files: dict[str, bytes] = {}
        self.faults: dict[str, list[tuple[int, dict]]] = defaultdict(list)  # method -> [(status, body)]
        self.delay: dict[str, float] = {}
        self.malformed_updates: list[Any] = []
        # Opt-in flood control: a second editMessageText of one message within this many seconds
        # is refused with 429 and retry_after, as Telegram does (0: off).
        self.edit_flood_seconds = 0.0
        self._last_edit: dict[tuple[int, int], float] = {}
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
        self.runner = web.AppRunner(app)
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
        self.updates.append(update)
        self._new_update.set()
        return update["update_id"]

    def calls_to(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method == method]

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
            if isinstance(value, str) and value[:1] in "{[":
                try:
                    params[key] = json.loads(value)
                    continue
                except ValueError:
                    pass
            params[key] = value
        return params

    async def _handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params = await self._params(request)
        if request.match_info["token"] != TOKEN:
            return web.json_response({"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401)
        if self.faults.get(method):
            status, body = self.faults[method].pop(0)
            self.calls.append(Call(f"!{method}", params))
            return web.json_response({"ok": False, "error_code": status, **body}, status=status)
        if method == "getUpdates":
            return await self._get_updates(params)
        if method == "editMessageText" and self.edit_flood_seconds:
            flooded = self._flood_control(params)
            if flooded is not None:
                return flooded
        call = Call(method, params)
        self.calls.append(call)  # recorded on arrival; a slow answer comes later
        self._changed.set()
        if method in self.delay:
            await asyncio.sleep(self.delay[method])
        call.result = self._result(method, params)
        return web.json_response({"ok": True, "result": call.result})

    def _flood_control(self, params: dict[str, Any]) -> web.Response | None:
        key = (int(params.get("chat_id", 0) or 0), int(params.get("message_id", 0) or 0))
        now = time.monotonic()
        wait = self._last_edit.get(key, -1e9) + self.edit_flood_seconds - now
        if wait > 0:
            retry_after = max(1, math.ceil(wait))
            self.calls.append(Call("!editMessageText", params))
            self._changed.set()
            body = {"ok": False, "error_code": 429, "description": f"Too Many Requests: retry after {retry_after}",
                    "parameters": {"retry_after": retry_after}}  # fmt: skip
            return web.json_response(body, status=429)
        self._last_edit[key] = now
        return None

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
        self.calls.append(Call("downloadFile", {"path": path}))
        return web.Response(body=self.files[path])

    def _result(self, method: str, params: dict[str, Any]) -> Any:
        now = int(time.time())
        if method == "getMe":
            return BOT_USER
        if method in ("sendMessage", "editMessageText"):
            chat_id = int(params.get("chat_id", 0) or 0)
            message_id = int(params["message_id"]) if method == "editMessageText" else next(self._message_ids)
            return {
                "message_id": message_id,
                "date": now,
                "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "group"},
                "from": BOT_USER,
                "text": params.get("text", ""),
            }
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
    entities = []
    mention = "@" + BOT_USER["username"]
    if mention in text:
        entities.append({"type": "mention", "offset": text.index(mention), "length": len(mention)})
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


def callback_query(user_id: int, data: str, message_id: int, query_id: str = "cb1") -> dict:
    """A press of an inline button under the bot's message ``message_id`` in a private chat."""
    return {
        "callback_query": {
            "id": query_id,
            "from": user(user_id),
            "chat_instance": "private",
            "data": data,
            "message": {"message_id": message_id, "date": int(time.time()), "chat": {"id": user_id, "type": "private"},
                        "from": BOT_USER, "text": "…"},
        }
    }  # fmt: skip
