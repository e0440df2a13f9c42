"""Where the package finds its configs and bundled data, and Hydra composition from Python (tests, scripts,
notebooks) exactly as the CLI does."""

from __future__ import annotations

import os
from collections.abc import Sequence
from importlib import resources
from pathlib import Path

from omegaconf import DictConfig, open_dict

from stance.runtime.hardware import (
    default_bf16,
    default_dataloader_workers,
    default_optim,
    default_tf32,
    default_use_cpu,
)

PACKAGE_DIR = Path(__file__).resolve().parent
ROOT_DIR = PACKAGE_DIR.parent
# a checkout (plain or installed editable) keeps configs/ and data/ at its top level, beside the package
IN_CHECKOUT = (ROOT_DIR / "pyproject.toml").is_file() and (ROOT_DIR / "configs").is_dir()


def resource_root() -> Path:
    """The folder holding ``configs/`` and ``data/``: the checkout, or ``stance/resources`` in an installed wheel."""
    return ROOT_DIR if IN_CHECKOUT else Path(str(resources.files("stance") / "resources"))


def config_dir() -> Path:
    """The ``configs/`` folder: ``$STANCE_CONFIG_DIR``, else the package's own (Hydra's ``--config-dir`` adds more)."""
    return Path(os.environ.get("STANCE_CONFIG_DIR", resource_root() / "configs")).resolve()


def data_dir() -> Path:
    """The bundled ``data/`` folder (quotes dataset, sample articles)."""
    return resource_root() / "data"


def shared_data_dir() -> Path:
    """Default home of the public research datasets when ``$STANCE_DATA_DIR`` is unset: ``../shared/datasets``
    beside a checkout, ``~/.local/share/stance/datasets`` (``$XDG_DATA_HOME``) for an install. It may not exist."""
    if IN_CHECKOUT:
        return ROOT_DIR.parent / "shared" / "datasets"
    return Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share") / "stance" / "datasets"


def register_resolvers() -> None:
    """OmegaConf resolvers used by the configs (``${stance_root:}``, ``${stance_shared_data:}``,
    ``${trainer_bf16:}``, ``${trainer_use_cpu:}``, ``${trainer_optim:}``,
    ``${trainer_tf32:}``, ``${trainer_workers:}``): resource paths and hardware defaults (stance.runtime.hardware)."""
    from omegaconf import OmegaConf

    resolvers = {
        "stance_root": lambda: str(resource_root()),
        "stance_shared_data": lambda: str(shared_data_dir()),
        "trainer_bf16": default_bf16,
        "trainer_use_cpu": default_use_cpu,
        "trainer_optim": default_optim,
        "trainer_tf32": default_tf32,
        "trainer_workers": default_dataloader_workers,
    }
    for name, resolver in resolvers.items():
        if not OmegaConf.has_resolver(name):
            OmegaConf.register_new_resolver(name, resolver)


def compose(config_name: str, overrides: Sequence[str] = ()) -> DictConfig:
    """The composed config; ``paths.output_dir`` is ``hydra.run.dir`` when given (there is no Hydra job here)."""
    from hydra import compose as hydra_compose
    from hydra import initialize_config_dir
    from hydra.core.global_hydra import GlobalHydra

    register_resolvers()
    GlobalHydra.instance().clear()
    with initialize_config_dir(str(config_dir()), version_base="1.3"):
        cfg = hydra_compose(config_name, overrides=list(overrides), return_hydra_config=True)
    run_dir = [o.split("=", 1)[1] for o in overrides if o.startswith("hydra.run.dir=")]
    with open_dict(cfg):
        if "paths" in cfg:
            cfg.paths.output_dir = run_dir[0] if run_dir else str(cfg.hydra.run.dir)
        del cfg["hydra"]
    return cfg


def override_problem(config_name: str, args: Sequence[str]) -> str | None:
    """Why Hydra would refuse the command line ``args`` of a ``config_name`` command, as one line saying the
    fix, or None (then Hydra runs, and reports anything else itself):

    - a bare word (``targets=the rent freeze`` unquoted in the shell is three arguments): the quoting to use;
    - an unknown key (``target=x``): the closest known key (``difflib``), and ``+key=`` to add a new one.

    Sweeps (``-m seed=1,2``) and ``hydra.*`` overrides are left to Hydra; so is a command line with
    ``--help``, ``--cfg``, ``--info`` or another config directory."""
    from hydra._internal.utils import get_args_parser
    from hydra.core.override_parser.overrides_parser import OverridesParser
    from hydra.errors import ConfigCompositionException, OverrideParseException

    try:
        ns, _ = get_args_parser().parse_known_args(list(args))
    except SystemExit:
        return None
    if any(getattr(ns, name, None) for name in ("help", "hydra_help", "cfg", "info", "shell_completion",
                                                  "config_dir", "config_path", "config_name", "experimental_rerun")):
        return None
    overrides = list(ns.overrides)
    for i, word in enumerate(overrides):
        if "=" in word or word.startswith("~"):
            continue
        before = next((o for o in reversed(overrides[:i]) if "=" in o), None)
        if before is None:
            return f"{word!r} is not KEY=VALUE (a value with spaces needs quotes: KEY='two words')"
        key, value = before.split("=", 1)
        words = [value, *[w for w in overrides[i:] if "=" not in w]]
        return (f"{word!r} is not KEY=VALUE: a value with spaces needs quotes, {key}='{' '.join(words)}'"
                f" (a list: {key}='[a, b]')")
    try:
        parsed = OverridesParser.create().parse_overrides(overrides)
    except OverrideParseException:
        return None
    plain = [o.input_line for o in parsed if not o.is_sweep_override() and not o.key_or_group.startswith("hydra")]
    try:
        compose(config_name, plain)
    except ConfigCompositionException as err:
        return _unknown_key(config_name, plain, f"{err} {err.__cause__ or ''}")
    except Exception:  # noqa: BLE001 - anything else is Hydra's to report, with its own message
        return None
    return None


def _unknown_key(config_name: str, overrides: list[str], message: str) -> str | None:
    """``unknown key 'target'; did you mean 'targets'?`` from Hydra's "Could not override 'target'" message."""
    import difflib
    import re

    from omegaconf import DictConfig, OmegaConf

    found = re.search(r"Could not override '([^']+)'", message)
    if found is None or "not in struct" not in message:
        return None
    key = found.group(1)
    parent, _, leaf = key.rpartition(".")
    try:
        cfg = compose(config_name, [o for o in overrides if o.split("=", 1)[0].lstrip("+~") != key])
    except Exception:  # noqa: BLE001 - no suggestion then, still a clear line
        cfg = None
    node = (OmegaConf.select(cfg, parent) if parent else cfg) if cfg is not None else None
    known = [str(k) for k in node.keys()] if isinstance(node, DictConfig) else []
    close = difflib.get_close_matches(leaf, known, n=1, cutoff=0.6)
    hint = f"; did you mean {(parent + '.' if parent else '') + close[0]!r}?" if close else ""
    return f"unknown key {key!r}{hint} (+{key}=VALUE adds a new key; --help lists the options)"


def print_config_tree(cfg: DictConfig,
                      first: Sequence[str] = ("data", "model", "trainer", "logger", "callbacks")) -> None:
    """Print the composed config as a tree (rich; lightning-hydra-template's ``print_config_tree``): one branch
    per top-level group or key, ``first`` on top, each as resolved YAML."""
    from omegaconf import OmegaConf
    from rich import print as rich_print
    from rich.syntax import Syntax
    from rich.tree import Tree

    def as_yaml(node: object) -> str:
        if not OmegaConf.is_config(node):
            return str(node)
        try:
            return OmegaConf.to_yaml(node, resolve=True)
        except Exception:  # noqa: BLE001 - an interpolation only Hydra's job can resolve: show it unresolved
            return OmegaConf.to_yaml(node)

    tree = Tree("config", style="dim", guide_style="dim")
    keys = [k for k in first if k in cfg] + [k for k in cfg if k not in first]
    for key in keys:
        branch = tree.add(str(key), style="bold", guide_style="dim")
        branch.add(Syntax(as_yaml(cfg.get(key)).rstrip(), "yaml", theme="ansi_dark", background_color="default"))
    rich_print(tree)
