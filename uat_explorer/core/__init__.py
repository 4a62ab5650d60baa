"""The model and everything that trains it: pure numpy, no Qt (a test enforces it)."""

from uat_explorer.core.errors import InputError
from uat_explorer.core.io.session import Session, SessionError, default_session
from uat_explorer.core.nn.activations import ACTIVATIONS, Activation, activation
from uat_explorer.core.nn.gradients import Gradients
from uat_explorer.core.nn.initialize import new_seed, random_network
from uat_explorer.core.nn.losses import LOSSES
from uat_explorer.core.nn.metrics import FitMetrics
from uat_explorer.core.nn.network import MAX_NEURONS, Network, Neuron
from uat_explorer.core.targets.datafile import load_csv, parse_csv
from uat_explorer.core.targets.expression import Expression, ExpressionError, parse_expression
from uat_explorer.core.targets.target import MAX_SAMPLES, PRESETS, DataTarget, FormulaTarget, Target
from uat_explorer.core.teaching.construct import construct
from uat_explorer.core.teaching.trace import Trace, trace
from uat_explorer.core.training.fitproblem import FitProblem
from uat_explorer.core.training.optimizers import OPTIMIZER_LABELS, OPTIMIZERS, OptimizerSpec
from uat_explorer.core.training.trainer import StopRule, Trainer, TrainReport

__all__ = [
    "ACTIVATIONS",
    "LOSSES",
    "MAX_NEURONS",
    "MAX_SAMPLES",
    "OPTIMIZERS",
    "OPTIMIZER_LABELS",
    "PRESETS",
    "Activation",
    "DataTarget",
    "Expression",
    "ExpressionError",
    "FitMetrics",
    "FitProblem",
    "FormulaTarget",
    "Gradients",
    "InputError",
    "Network",
    "Neuron",
    "OptimizerSpec",
    "Session",
    "SessionError",
    "StopRule",
    "Target",
    "Trace",
    "TrainReport",
    "Trainer",
    "activation",
    "construct",
    "default_session",
    "load_csv",
    "new_seed",
    "parse_csv",
    "parse_expression",
    "random_network",
    "trace",
]
