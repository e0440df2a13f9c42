"""Several processes, one job: torchrun and accelerate training on CPU (gloo), ``shard=i/n`` prediction as a filter
whose parts cover the single-process output, and the pieces (shards, run-dir agreement) on their own."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from stance.config import ROOT_DIR
from stance.runtime import ranks
from stance.runtime.shards import Shard, parse_shard, shard_of
from stance.train import preemption
from stance.train.preemption import LossBefore
from tests.conftest import compose, tiny_overrides

sys.path.insert(0, str(Path(__file__).parent))
from helpers_models import make_tiny_model  # noqa: E402

ARTICLES = ROOT_DIR / "data" / "articles" / "articles.jsonl"  # each article has its own targets
# fp32: bf16 scores depend (in the 5th decimal) on which pairs share a batch, and shards batch differently
FP32 = ("precision=fp32",)


def _env(**extra: str) -> dict[str, str]:
    env = dict(os.environ, WANDB_MODE="offline", WANDB_SILENT="true", TOKENIZERS_PARALLELISM="false",
               HF_HUB_OFFLINE="1", HF_DATASETS_OFFLINE="1", OMP_NUM_THREADS="1", **extra)
    for key in ("STANCE_RUN_STAMP", "RANK", "WORLD_SIZE", "LOCAL_RANK", "MASTER_ADDR", "MASTER_PORT"):
        env.pop(key, None)
    return env


def _torchrun(*args: str) -> list[str]:
    return [sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node", "2", *args]


# -- shards --------------------------------------------------------------------------------------------------


def test_shards_cover_the_input_once_in_round_robin() -> None:
    items = list(range(11))
    parts = [list(Shard(i, 3).select(items)) for i in range(3)]
    assert parts == [[0, 3, 6, 9], [1, 4, 7, 10], [2, 5, 8]]
    assert [shard_of(k, 3) for k in items] == [k % 3 for k in items]
    assert parse_shard("2/4") == Shard(2, 4) and parse_shard(" 0 / 1 ") == Shard(0, 1) and parse_shard(None) is None
    for bad in ("4/4", "1-4", "-1/4", "a/b", "1/0"):
        with pytest.raises(ValueError, match="INDEX/COUNT"):
            parse_shard(bad)
    assert Shard(3, 16).tag == "shard-03-of-16"


def test_loss_before_a_checkpoint_gives_the_whole_run_average(tmp_path: Path) -> None:
    ckpt = tmp_path / "checkpoint-6"
    ckpt.mkdir()
    history = [{"loss": 1.0, "step": 2}, {"eval_loss": 9.0, "step": 2}, {"loss": 2.0, "step": 6}]
    (ckpt / "trainer_state.json").write_text(json.dumps({"global_step": 6, "log_history": history}))
    before = LossBefore.read(ckpt)
    assert before == LossBefore(6, 1.0 * 2 + 2.0 * 4)
    # steps 7..10 averaged 0.5: the whole run is (10 + 4 * 0.5) / 10
    assert before.whole_run(0.5, 10) == pytest.approx(1.2)
    assert LossBefore.read(None).whole_run(0.7, 10) == 0.7
    assert before.whole_run(0.0, 6) == pytest.approx(10 / 6), "resumed from the last step: nothing added"
    # the checkpoint step was not a logging step: the steps before it cannot be summed back
    (ckpt / "trainer_state.json").write_text(json.dumps({"global_step": 6, "log_history": history[:1]}))
    assert LossBefore.read(ckpt).total is None and LossBefore.read(ckpt).whole_run(0.5, 10) == 0.5


# -- one run directory for every rank -------------------------------------------------------------------------


def test_run_stamp_from_the_environment_or_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STANCE_RUN_STAMP", "job-1234")
    monkeypatch.setenv("WORLD_SIZE", "4")
    assert ranks.shared_run_stamp() == "job-1234"
    monkeypatch.delenv("STANCE_RUN_STAMP")
    monkeypatch.delenv("TORCHELASTIC_USE_AGENT_STORE", raising=False)
    with pytest.raises(ranks.DistributedSetupError, match="STANCE_RUN_STAMP"):
        ranks.shared_run_stamp()
    monkeypatch.setenv("WORLD_SIZE", "1")
    assert len(ranks.shared_run_stamp()) == len("2026-01-01_00-00-00_000000")


def test_replicas_write_no_hydra_folder_and_no_log_file(tiny_files, tmp_path: Path) -> None:
    from hydra import compose as hydra_compose
    from hydra import initialize_config_dir
    from hydra.core.global_hydra import GlobalHydra

    from stance.config import config_dir, register_resolvers

    register_resolvers()
    GlobalHydra.instance().clear()
    with initialize_config_dir(str(config_dir()), version_base="1.3"):
        cfg = hydra_compose("train", overrides=["model=tiny"], return_hydra_config=True)
    assert cfg.hydra.output_subdir is not None and "file" in cfg.hydra.job_logging.handlers
    assert "stance.runtime.ranks.SharedRunDir" in [c._target_ for c in cfg.hydra.callbacks.values()]
    ranks._quiet_replica(cfg)
    assert cfg.hydra.output_subdir is None
    assert "file" not in cfg.hydra.job_logging.handlers
    assert list(cfg.hydra.job_logging.root.handlers) == ["console"]


HYDRA_APP = """
import logging, os, hydra
from stance.config import config_dir, register_resolvers
register_resolvers()

@hydra.main(version_base="1.3", config_path=str(config_dir()), config_name="train")
def main(cfg):
    from hydra.core.hydra_config import HydraConfig
    logging.getLogger("app").info("hello from rank %s", os.environ["RANK"])
    print("RUN_DIR", os.environ["RANK"], HydraConfig.get().runtime.output_dir, flush=True)

main()
"""


def test_torchrun_ranks_share_one_run_dir_and_only_rank0_writes_hydra_files(tmp_path: Path) -> None:
    """The real train config under torchrun, without the training: the SharedRunDir callback at work."""
    app = tmp_path / "app.py"
    app.write_text(HYDRA_APP, encoding="utf-8")
    proc = subprocess.run(_torchrun(str(app), f"paths.log_dir={tmp_path / 'logs'}", "model=tiny"),
                          capture_output=True, text=True, env=_env(), cwd=tmp_path, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    dirs = {line.split()[1]: line.split()[2] for line in proc.stdout.splitlines() if line.startswith("RUN_DIR")}
    assert set(dirs) == {"0", "1"} and dirs["0"] == dirs["1"], dirs
    run_dir = _only_run_dir(tmp_path / "logs")
    assert str(run_dir) == dirs["0"]
    assert (run_dir / ".hydra" / "config.yaml").is_file()
    log_text = (run_dir / "app.log").read_text()
    assert "hello from rank 0" in log_text and "hello from rank 1" not in log_text


# -- training under torchrun and accelerate -------------------------------------------------------------------


def _train_overrides(files: dict[str, Path], log_dir: Path) -> list[str]:
    overrides = [o for o in tiny_overrides(files, log_dir) if not o.startswith(("hydra.run.dir", "logger="))]
    return [*overrides, f"paths.log_dir={log_dir}", "logger=wandb", "logger.mode=offline", "run_name=ddp",
            "trainer.per_device_train_batch_size=8", "seed=5"]


def _only_run_dir(log_dir: Path) -> Path:
    runs = list((log_dir / "train" / "runs").iterdir())
    assert len(runs) == 1, f"every rank must write into one run directory, got {runs}"
    return runs[0]


@pytest.fixture(scope="module")
def torchrun_training(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict, dict]:
    from tests.conftest import write_tiny_files

    root = tmp_path_factory.mktemp("ddp")
    files = write_tiny_files(root)
    log_dir = root / "torchrun"
    proc = subprocess.run(_torchrun("-m", "stance.launch", "train", *_train_overrides(files, log_dir)),
                          capture_output=True, text=True, env=_env(), cwd=root, timeout=600)
    assert proc.returncode == 0, proc.stderr[-4000:]
    return log_dir, files, json.loads((_only_run_dir(log_dir) / "metrics.json").read_text())


def test_torchrun_two_cpu_processes_one_run_directory(torchrun_training) -> None:
    log_dir, files, metrics = torchrun_training
    run_dir = _only_run_dir(log_dir)
    assert metrics["run_dir"] == str(run_dir)
    for name in ("config.yaml", "metrics.json", "test_predictions.jsonl", "model/model.safetensors",
                 ".hydra/config.yaml", "cli.log"):
        assert (run_dir / name).is_file(), name
    assert metrics["test_support"] == 12, "the ranks' test predictions were gathered once, not duplicated"
    predicted = [json.loads(line) for line in (run_dir / "test_predictions.jsonl").read_text().splitlines()]
    gold = [json.loads(line) for line in files["test"].read_text().splitlines()]
    assert [(p["text"], p["label"]) for p in predicted] == [(g["text"], g["label"]) for g in gold], \
        "the ranks' predictions come back in the test file's row order"
    for key in ("test_accuracy", "test_macro_f1", "best_validation_f_avg"):
        assert 0.0 <= metrics[key] <= 1.0, key
    assert "run_name: ddp" in (run_dir / "config.yaml").read_text()
    wandb_runs = list((run_dir / "wandb").glob("offline-run-*"))
    assert len(wandb_runs) == 1, "only rank 0 logs to wandb"
    assert not (run_dir / "checkpoints").exists()


def test_accelerate_launch_trains_the_same_as_torchrun(torchrun_training, tmp_path: Path) -> None:
    _, files, reference = torchrun_training
    log_dir = tmp_path / "accelerate"
    cmd = [sys.executable, "-m", "accelerate.commands.launch", "--config_file",
           str(ROOT_DIR / "configs" / "accelerate" / "cpu.yaml"), "-m", "stance.launch", "train",
           *_train_overrides(files, log_dir)]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=_env(), cwd=tmp_path, timeout=600)
    assert proc.returncode == 0, proc.stderr[-4000:]
    metrics = json.loads((_only_run_dir(log_dir) / "metrics.json").read_text())
    for key in ("train_loss", "best_validation_loss", "test_accuracy", "test_macro_f1", "test_support"):
        assert metrics[key] == pytest.approx(reference[key], abs=1e-6), key


# -- prediction: shard=i/n, a filter ---------------------------------------------------------------


@pytest.fixture(scope="module")
def predict_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_tiny_model(tmp_path_factory.mktemp("tiny_predict") / "model")


@pytest.fixture(scope="module")
def single_process_prediction(predict_model: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("single") / "preds.jsonl"
    _predict(predict_model, out)
    return out


def _predict(model: Path, output: Path, *extra: str) -> dict:
    from stance.errors import guarded
    from stance.predict.command import run

    overrides = [f"model_dir={model}", f"input={ARTICLES}", f"output={output}", "progress=false", *FP32, *extra]
    return guarded("stance-predict", lambda: run(compose("predict", overrides)))


def test_shard_i_of_n_is_a_filter_whose_parts_cover_the_single_process_output(
        predict_model: Path, single_process_prediction: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture) -> None:
    monkeypatch.delenv("RANK", raising=False)
    monkeypatch.delenv("WORLD_SIZE", raising=False)
    parts = [tmp_path / f"preds-{i}-of-3.jsonl" for i in range(3)]
    for i, out in enumerate(parts):
        stats = _predict(predict_model, out, f"shard={i}/3")
        assert "merged" not in stats and Path(stats["summary"]).is_file(), "each part is a whole run of its own"
    rows = sorted(line for out in parts for line in out.read_text(encoding="utf-8").splitlines())
    assert rows == sorted(single_process_prediction.read_text(encoding="utf-8").splitlines())
    assert not list(tmp_path.glob("*.shards")), "no merge folder"
    # a bad spec is a one-line error, not a stack trace
    with pytest.raises(SystemExit) as exc:
        _predict(predict_model, tmp_path / "bad.jsonl", "shard=3/3")
    assert exc.value.code == 2
    assert "shard='3/3'" in capsys.readouterr().err
    # under torchrun ranks there would be nothing to merge their outputs: refused with the two ways that work
    monkeypatch.setenv("WORLD_SIZE", "2")
    monkeypatch.setenv("RANK", "0")
    with pytest.raises(SystemExit):
        _predict(predict_model, tmp_path / "ranks.jsonl")
    assert "engine=ray" in capsys.readouterr().err


# -- the multi-GPU launcher configs (checked as far as a CPU machine can) -----------------------------------


@pytest.mark.parametrize(("name", "kind"), [("cpu", "multi_gpu"), ("ddp", "multi_gpu"), ("fsdp", "use_fsdp"),
                                            ("deepspeed", "use_deepspeed")])
def test_accelerate_configs_are_accepted_by_the_launcher(name: str, kind: str) -> None:
    """What `accelerate launch --config_file ...` does before it starts processes: parse and validate."""
    from accelerate.commands.launch import (
        _validate_launch_command,
        launch_command_parser,
    )

    path = ROOT_DIR / "configs" / "accelerate" / f"{name}.yaml"
    args = launch_command_parser().parse_args(["--config_file", str(path), "--num_processes", "2",
                                               "-m", "stance.launch", "train"])
    args, defaults, _ = _validate_launch_command(args)
    assert getattr(args, kind) is True, (name, kind)
    assert int(args.num_processes) == 2
    # precision comes from the trainer config (trainer.bf16), never from the launcher
    assert defaults.mixed_precision == ("no" if name != "deepspeed" else None)
    if name == "deepspeed":
        ds = json.loads((ROOT_DIR / args.deepspeed_config_file).read_text())
        assert ds["zero_optimization"]["stage"] == 2 and ds["train_micro_batch_size_per_gpu"] == "auto"
    if name == "fsdp":
        assert defaults.fsdp_config["fsdp_version"] == 2


def test_sigterm_becomes_save_then_stop_at_the_end_of_the_step() -> None:
    import signal

    from transformers import TrainerControl, TrainingArguments

    callback = preemption.SaveOnSignal()
    before = signal.getsignal(signal.SIGTERM)
    control = TrainerControl()
    args = TrainingArguments(output_dir="unused", use_cpu=True, report_to="none")
    callback.install()
    try:
        callback.on_step_end(args, None, control)
        assert not (control.should_save or control.should_training_stop or callback.preempted)
        os.kill(os.getpid(), signal.SIGTERM)  # handled: the test process lives on
        callback.on_step_end(args, None, control)
    finally:
        callback.uninstall()
    assert control.should_save and control.should_training_stop and control.should_log and callback.preempted
    assert signal.getsignal(signal.SIGTERM) is before
    assert issubclass(preemption.Preempted, SystemExit) and preemption.Preempted().code == 143
