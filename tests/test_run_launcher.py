"""The run launcher's health check tells a live run worker from a dead one."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import psutil

from orchestration.run_launcher import worker_process_alive


def test_a_running_worker_is_alive():
    assert worker_process_alive(os.getpid(), time.time())


def test_a_process_started_after_the_record_is_another_program():
    # The id was recorded before this process existed: the recorded worker is gone
    # and its id handed out again.
    started = psutil.Process().create_time()
    assert not worker_process_alive(os.getpid(), started - 60)


def test_an_ended_worker_is_dead_even_before_it_is_collected():
    worker = subprocess.Popen([sys.executable, "-c", "pass"])
    recorded_at = time.time()
    try:
        # Not waited for yet: the ended process stays a zombie.
        while psutil.Process(worker.pid).status() != psutil.STATUS_ZOMBIE:
            time.sleep(0.05)
        assert not worker_process_alive(worker.pid, recorded_at)
    finally:
        worker.wait()
    assert not worker_process_alive(worker.pid, recorded_at)
