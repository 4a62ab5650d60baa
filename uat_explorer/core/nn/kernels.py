"""How the training hot path computes each activation, chosen per machine by measuring.

The same function has several numpy formulations whose speed depends on the CPU: the
sigmoid through ``exp`` was 1.3–1.6× faster on the AVX2 machines PERF-NOTES measured,
through ``tanh`` 1.8× faster on an AVX-512 one; ReLU as ``max(z, 0)`` is one call, as
``|z| + z`` two that were 2× faster there. All give the same numbers within float32
rounding (a test pins each), so the first FitProblem of a process picks the fastest of
each, measured once per machine (a few ms) and cached in ``kernels.json`` under the user
cache directory, keyed by CPU model and numpy version.

A kernel writes s = value(k·z) and leaves the rest to FitProblem, which folds the scale
k into the weights and the affine map a = α·s + β into the output weights, so neither
costs a pass over the H × N buffer: act(z) = α·s + β and act′(z) = γ·slope(s).
"""

from __future__ import annotations

import contextlib
import json
import os
import platform
import tempfile
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

Array = NDArray[np.floating]

CACHE_VERSION = 2
"""Bump when a kernel or the machine key changes, so every machine measures again and
the file drops entries no key can match (2: the flags' digest became a CRC)."""


def _sigmoid_exp_value(q: Array, out: Array) -> None:
    """σ(z) = 1 / (1 + exp(q)), q = −z: exp overflows to inf for z < −88 and 1/inf = 0,
    the right limit, so no cap (np.minimum cost as much as the exp itself)."""
    with np.errstate(over="ignore"):
        np.exp(q, out=out)
    out += 1.0
    np.divide(1.0, out, out=out)  # not np.reciprocal: 2–3× slower in float32 here


def _sigmoid_exp_slope(s: Array, out: Array) -> None:
    np.subtract(1.0, s, out=out)
    out *= s


def _one_minus_square(s: Array, out: Array) -> None:
    np.multiply(s, s, out=out)
    np.subtract(1.0, out, out=out)


def _tanh_value(q: Array, out: Array) -> None:
    np.tanh(q, out=out)


def _relu_max_value(q: Array, out: Array) -> None:
    np.maximum(q, 0.0, out=out)


def _relu_abs_value(q: Array, out: Array) -> None:
    """2·max(z, 0) = |z| + z: two cheap passes, against one slow np.maximum."""
    np.abs(q, out=out)
    out += q


def _positive(s: Array, out: Array) -> None:
    np.greater(s, 0.0, out=out, casting="unsafe")


def _step_value(q: Array, out: Array) -> None:
    np.greater_equal(q, 0.0, out=out, casting="unsafe")


@dataclass(frozen=True)
class Kernel:
    """One formulation of one activation: s = value(k·z, out), act = α·s + β,
    act′ = γ·slope(s, out). ``out`` never aliases the input.

    ``nonnegative``: act ≥ 0, so mean |act| = α·mean(s) + β, a by-product of the dL/dv
    mat-vec; the others (tanh) must have α = 1, β = 0 and pay a pass for |s|.
    ``slope`` None: a surrogate (the step), whose slope FitProblem takes from the sigmoid.
    """

    activation: str
    form: str
    scale: float
    alpha: float
    beta: float
    gamma: float
    value: Callable[[Array, Array], None]
    slope: Callable[[Array, Array], None] | None
    nonnegative: bool


FORMS: dict[str, dict[str, Kernel]] = {}
for _kernel in (
    Kernel("step", "heaviside", 1.0, 1.0, 0.0, 1.0, _step_value, None, True),
    Kernel("sigmoid", "exp", -1.0, 1.0, 0.0, 1.0, _sigmoid_exp_value, _sigmoid_exp_slope, True),
    # σ(z) = ½ + ½·tanh(z/2), σ′ = ¼(1 − tanh²(z/2))
    Kernel("sigmoid", "tanh", 0.5, 0.5, 0.5, 0.25, _tanh_value, _one_minus_square, True),
    Kernel("relu", "max", 1.0, 1.0, 0.0, 1.0, _relu_max_value, _positive, True),
    Kernel("relu", "abs", 1.0, 0.5, 0.0, 1.0, _relu_abs_value, _positive, True),
    Kernel("tanh", "tanh", 1.0, 1.0, 0.0, 1.0, _tanh_value, _one_minus_square, False),
):
    FORMS.setdefault(_kernel.activation, {})[_kernel.form] = _kernel


def measure(activation: str, rows: int = 64, samples: int = 512) -> dict[str, float]:
    """µs for value + slope of each form of ``activation`` on a float32 rows × samples
    block: forms interleaved, best of 9 rounds, so a busy neighbour hurts all alike."""
    forms = FORMS[activation]
    z = np.random.default_rng(0).normal(0.0, 3.0, (rows, samples)).astype(np.float32)
    s, d = np.empty_like(z), np.empty_like(z)
    best = dict.fromkeys(forms, float("inf"))
    for _ in range(9):
        for name, kernel in forms.items():
            assert kernel.slope is not None  # only activations with a slope have forms
            started = time.perf_counter()
            for _ in range(3):
                kernel.value(z, s)
                kernel.slope(s, d)
            best[name] = min(best[name], (time.perf_counter() - started) / 3 * 1e6)
    return best


def cache_path() -> Path:
    """$XDG_CACHE_HOME/uat-explorer/kernels.json, ~/.cache/… when it is unset."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "uat-explorer" / "kernels.json"


def machine_key() -> str:
    """CPU model, a digest of its feature flags (an "AMD EPYC" may or may not have
    AVX-512) and the numpy version: what decides which formulation is fastest. Not
    platform.processor(): on Linux it runs ``uname -p``, 7 ms at every start."""
    model, flags = platform.machine(), ""
    with contextlib.suppress(OSError), open("/proc/cpuinfo", encoding="utf-8") as info:
        for line in info:
            if not line.strip():
                break  # the first CPU says it all
            name, _, value = line.partition(":")
            if name.strip() in ("model name", "Model"):
                model = value.strip()
            elif name.strip() in ("flags", "Features"):
                flags = " ".join(sorted(value.split()))
    # A checksum names the flags well enough; hashlib would load OpenSSL, 3-5 ms of the
    # window's launch, which asks for this key when it first draws the network.
    digest = f"{zlib.crc32(flags.encode()):08x}" if flags else "-"
    return f"{model} | flags {digest} | numpy {np.__version__}"


def _cached(path: Path, key: str) -> dict[str, str] | None:
    """This machine's choice from the cache file, or None if absent, unreadable or stale."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        choice = data["machines"][key]["forms"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if data.get("version") != CACHE_VERSION or not isinstance(choice, dict):
        return None
    wanted = {name for name, forms in FORMS.items() if len(forms) > 1}
    if set(choice) != wanted or not all(
        isinstance(choice[name], str) and choice[name] in FORMS[name] for name in wanted
    ):
        return None
    return dict(choice)


def _store(
    path: Path, key: str, choice: dict[str, str], timings: dict[str, dict[str, float]]
) -> None:
    """Add this machine's entry, keeping other machines' (a shared home); atomic, and
    silent if the directory cannot be written: the next process measures again."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        machines = data["machines"] if data.get("version") == CACHE_VERSION else {}
        if not isinstance(machines, dict):
            machines = {}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        machines = {}
    rounded = {name: {f: round(us, 2) for f, us in t.items()} for name, t in timings.items()}
    machines[key] = {"forms": choice, "microseconds": rounded}
    text = json.dumps({"version": CACHE_VERSION, "machines": machines}, indent=1)
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".kernels-")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as file:
                file.write(text)
            os.replace(temporary, path)
        finally:
            with contextlib.suppress(OSError):
                os.unlink(temporary)


def choose(path: Path | None = None) -> dict[str, str]:
    """activation → form for every activation with a choice: cached, or measured now."""
    path = cache_path() if path is None else path
    key = machine_key()
    choice = _cached(path, key)
    if choice is None:
        timings = {name: measure(name) for name, forms in FORMS.items() if len(forms) > 1}
        choice = {name: min(t, key=t.__getitem__) for name, t in timings.items()}
        _store(path, key, choice, timings)
    return choice


_chosen: dict[str, str] | None = None


def kernel(activation: str, form: str | None = None) -> Kernel:
    """The kernel for ``activation``: the given ``form``, else this machine's fastest
    (chosen on the first call in a process)."""
    global _chosen
    forms = FORMS[activation]
    if form is None:
        if len(forms) == 1:
            return next(iter(forms.values()))
        if _chosen is None:
            _chosen = choose()
        form = _chosen[activation]
    return forms[form]
