"""setup.py: the one thing pyproject.toml cannot say: copy libdyad.so into
the package when it is built, so that an installed dyad needs neither the
repository nor DYAD_LIB. The library is $DYAD_LIB when set, else the
repository's build/libdyad.so (`make`)."""
import os
import shutil

from setuptools import Distribution, setup
from setuptools.command.build_py import build_py

HERE = os.path.dirname(os.path.abspath(__file__))


class BuildPyWithLib(build_py):
    def run(self):
        super().run()
        src = os.environ.get("DYAD_LIB") or os.path.join(
            HERE, "..", "build", "libdyad.so")
        if not os.path.exists(src):
            raise SystemExit(f"dyad: {os.path.normpath(src)} not found: run "
                             "`make` in the repository first, or set DYAD_LIB "
                             "to a built libdyad.so")
        dst = os.path.join(self.build_lib, "dyad", "libdyad.so")
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        shutil.copyfile(src, dst)


class BinaryDistribution(Distribution):
    """The wheel holds a shared library: tag it for this platform."""

    def has_ext_modules(self):
        return True


setup(cmdclass={"build_py": BuildPyWithLib}, distclass=BinaryDistribution)
