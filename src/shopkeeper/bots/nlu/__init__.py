"""Shopkeeper's NLU: language, commerce intent with an out-of-scope decision, and entities — offline.

Other packages import only from here.
"""

from .classifier import Settings
from .data import Example, load_any, load_bitext, load_folder, load_yaml, shipped_examples
from .entities import extract
from .errors import ModelFileInvalid, NLUError, TrainingDataInvalid
from .model import ENTITY_TYPES, INTENTS, OUT_OF_SCOPE, Entity, Understanding
from .nlu import NLU, default_model_path

__all__ = [
    "ENTITY_TYPES",
    "INTENTS",
    "NLU",
    "OUT_OF_SCOPE",
    "Entity",
    "Example",
    "ModelFileInvalid",
    "NLUError",
    "Settings",
    "TrainingDataInvalid",
    "Understanding",
    "default_model_path",
    "extract",
    "load_any",
    "load_bitext",
    "load_folder",
    "load_yaml",
    "shipped_examples",
]
