"""One BLAS thread: for networks this small a second thread only adds contention.

Measured here (shared/PERF-NOTES.md): two threads never helped, made Levenberg–Marquardt
3–5× slower, and up to 8× slower when the other core was busy.
"""

from threadpoolctl import threadpool_limits

_limits = None


def pin_blas_to_one_thread() -> None:
    """Called once by each entry point (CLI, GUI, benchmarks); later calls do nothing."""
    global _limits
    if _limits is None:
        _limits = threadpool_limits(limits=1, user_api="blas")
