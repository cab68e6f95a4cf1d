# (filled in by the paths/intrinsics work)
