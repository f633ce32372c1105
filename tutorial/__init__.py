"""Why training a neural network is hard: interactive notebooks and their code.

The notebooks live in ``nbs/``; each has a section here
(``s01_learning_as_optimization`` and so on: a package with one module per part
of its notebook, see CONTRIBUTING.md) built from the core modules
``landscapes``, ``optimizers``, ``nn`` and ``datasets`` (with ``saddles``,
``spin_glass`` and ``critical`` for notebooks 04 and 05).
"""

__version__ = "0.1.0"
