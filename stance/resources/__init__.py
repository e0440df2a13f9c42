"""The configs and bundled data of an installed package: the wheel carries the checkout's top-level ``configs/``
and ``data/`` here, as ``stance.resources.configs`` and ``stance.resources.data``. Nothing to import;
:func:`stance.config.config_dir` and :func:`stance.config.data_dir` say where they are."""
