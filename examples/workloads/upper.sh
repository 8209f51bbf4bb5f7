#!/bin/sh
# An exec workload for verun's registry example and tests: copies stdin to
# stdout with ASCII letters upper-cased. Pinned by SHA-256 in
# examples/registry/registry.json (re-pin it there after any edit).
exec tr 'a-z' 'A-Z'
