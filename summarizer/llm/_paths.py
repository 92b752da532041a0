"""Where summarizer keeps its files, by platform convention, each overridable by a variable.

    cache (responses)   $SUMMARIZER_CACHE_DIR  or $XDG_CACHE_HOME/summarizer   (~/.cache/summarizer)
    state (call log)    $SUMMARIZER_STATE_DIR  or $XDG_STATE_HOME/summarizer   (~/.local/state/summarizer)
    config (prices)     $SUMMARIZER_CONFIG_DIR or $XDG_CONFIG_HOME/summarizer  (~/.config/summarizer)

On macOS the defaults are under ~/Library (Caches, Application Support); on Windows under
%LOCALAPPDATA% and %APPDATA%. Directories are created when first written, never on import.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Literal

Kind = Literal["cache", "state", "config"]

_XDG = {
    "cache": ("XDG_CACHE_HOME", ".cache"),
    "state": ("XDG_STATE_HOME", ".local/state"),
    "config": ("XDG_CONFIG_HOME", ".config"),
}
_MAC = {
    "cache": "Library/Caches",
    "state": "Library/Application Support",
    "config": "Library/Application Support",
}


def user_dir(kind: Kind) -> Path:
    """The folder for `kind`: the SUMMARIZER_* override, else the platform's convention."""
    override = os.environ.get(f"SUMMARIZER_{kind.upper()}_DIR")
    if override:
        return Path(override).expanduser()
    if sys.platform == "win32":
        base = os.environ.get("APPDATA" if kind == "config" else "LOCALAPPDATA") or str(Path.home())
        return Path(base) / "summarizer"
    if sys.platform == "darwin" and not os.environ.get(_XDG[kind][0]):
        return Path.home() / _MAC[kind] / "summarizer"
    variable, fallback = _XDG[kind]
    xdg = os.environ.get(variable)
    return (Path(xdg) if xdg and os.path.isabs(xdg) else Path.home() / fallback) / "summarizer"
