"""Import ONNX Runtime with its telemetry off.

ONNX Runtime's official Linux wheels carry Microsoft's 1DS telemetry: on first use they write a device
id and an events database under ~/.cache/Microsoft and hold a collector URL. A service for a commission's
internal documents sends nothing anywhere, so ``ORT_DISABLE_TELEMETRY`` (which must be set before the
library initialises) is set here, where every module of this project imports it.
"""

from __future__ import annotations

import os
from types import ModuleType


def import_onnxruntime() -> ModuleType:
    os.environ["ORT_DISABLE_TELEMETRY"] = "1"
    import onnxruntime

    return onnxruntime
