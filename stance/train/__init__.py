"""Fine-tuning (``stance-train``): the trainer, weight averaging, distillation, preemption and resume."""
