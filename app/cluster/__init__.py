"""Gongyou on a Ray cluster: distributed builds (build.py) and sharded serving (serving.py,
frontend.py); connect.py joins or starts the cluster. Imported only with `--ray`."""
