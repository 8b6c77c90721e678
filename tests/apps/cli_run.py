"""Running `resihmr` from the Python command-line tests: one place for the
exit-code and message checks they all make."""
import subprocess


def run(exe, *args, expect=0):
    """Runs resihmr with args; fails the test unless it exits with `expect`."""
    r = subprocess.run([exe, *args], capture_output=True, text=True)
    if r.returncode != expect:
        raise SystemExit(f"FAILED: resihmr {' '.join(args)} exited {r.returncode}, expected {expect}\n{r.stdout}\n{r.stderr}")
    return r


def expect_error(exe, args, *fragments):
    """resihmr with args must fail (exit 1) with every fragment in its error message."""
    r = run(exe, *args, expect=1)
    for f in fragments:
        if f not in r.stderr:
            raise SystemExit(f"FAILED: '{f}' not in the error of resihmr {' '.join(args)}:\n{r.stderr}")
    return r
