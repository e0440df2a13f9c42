"""The stance model: pair encoding, pooling, building from a backbone, and fast batched scoring."""
