"""NLU errors with stable machine-readable codes."""

from __future__ import annotations


class NLUError(Exception):
    code = "nlu_error"


class TrainingDataInvalid(NLUError):
    code = "nlu_training_data_invalid"


class ModelFileInvalid(NLUError):
    code = "nlu_model_invalid"
