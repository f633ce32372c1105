"""Why training a neural network is hard: interactive notebooks and their code.

The notebooks live in ``nbs/``; each has a section module here
(``s01_learning_as_optimization`` and so on) built from the core modules
``landscapes``, ``optimizers``, ``nn`` and ``datasets`` (with ``saddles``,
``spin_glass`` and ``critical`` for notebooks 04 and 05).
"""

__version__ = "0.1.0"
