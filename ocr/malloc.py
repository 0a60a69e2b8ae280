"""Freed memory goes back to the system: for processes that decode large images now and then.

Its own small module (ctypes only) so the API can use it without loading the OCR engines.
"""

from __future__ import annotations

import ctypes
import ctypes.util

M_MMAP_THRESHOLD = -3
"""glibc's mallopt parameter number (malloc.h)."""


def return_freed_memory_to_os(threshold: int = 1024 * 1024) -> bool:
    """Serve allocations over ``threshold`` by mmap, so a freed image goes back to the system at once.

    glibc raises its mmap threshold after the first large free (up to 32 MB), after which
    Pillow's 16 MB blocks come from per-thread heaps that keep them: 1.57 GB stayed in use
    after four large uploads. A fixed threshold turns that dynamic raising off. Does
    nothing (False) on a C library without ``mallopt``.
    """
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        mallopt = libc.mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    mallopt.restype = ctypes.c_int
    return bool(mallopt(M_MMAP_THRESHOLD, threshold))


__all__ = ["return_freed_memory_to_os"]
