"""Password links leave on a thread of their own (maillon.core.mail): wait for it."""

import threading

from maillon.core.mail import THREAD_NAME


def wait_for_mail(timeout: float = 10) -> None:
    for thread in threading.enumerate():
        if thread.name == THREAD_NAME:
            thread.join(timeout)
