"""What the services' log says: a console a depot's IT person reads, so no false alarms."""
import logging

from shared.web import configure_logging


def test_kafka_pythons_slow_task_note_is_not_logged_but_its_other_warnings_are(capsys):
    """kafka-python warns 'Task ... ran for 0.110s (>0.100s threshold). It is blocking the event loop' whenever a
    thread of a busy machine pauses its network loop: seventeen times in eighteen minutes of `make dev` on a
    shared two-core machine, read as a fault. Its other warnings still show."""
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    try:
        configure_logging("info")
        selector = logging.getLogger("kafka.net.selector")
        selector.warning("Task %s ran for %.3fs (>%.3fs threshold). It is blocking the event loop -- likely a tight "
                         "sync loop inside a coroutine. Other pollers will time out.", "<Task>", 0.11, 0.1)
        selector.warning("Error in I/O loop: %s", "connection reset")
        logged = capsys.readouterr().err
    finally:
        root.handlers[:], _ = saved[0], root.setLevel(saved[1])
    assert "blocking the event loop" not in logged
    assert "Error in I/O loop: connection reset" in logged


def test_the_start_up_banner_gives_each_demo_user_a_line_whose_address_starts_where_the_others_do():
    """The secretary's line stood out of line: the columns were spaced by hand around Hindi words, whose width on a
    terminal is not their length. Who it is stands on its own line; the log-in lines are alike up to the address."""
    from shared.dev import banner, default_ports
    lines = banner(default_ports()).splitlines()
    logins = [line for line in lines if "log in / लॉग इन:" in line]
    assert len(logins) == 4
    for user in ("warehouse", "artisan", "secretary", "admin"):
        assert any(f"{user} / {user}123" in line for line in logins), user
    starts = {line.index("http://") for line in logins}
    assert len(starts) == 1, logins
    for who in ("Warehouse staff / गोदाम कर्मचारी", "Artisans / कारीगर", "Cooperative secretary / सहकारी सचिव",
                "Admins / एडमिन"):
        assert f"  {who}" in lines, who
