from setuptools import find_packages, setup

with open("README.md", encoding="utf-8") as fh:
    long_description = fh.read()

setup(
    name="flake8-argscope",
    version="0.1.0",
    description="flake8 plugin for TF-Slim arg_scope and tensorpack argscope: "
    "repetition, redundancy, registration and runtime errors (ASC codes)",
    long_description=long_description,
    long_description_content_type="text/markdown",
    license="Apache-2.0",
    packages=find_packages(include=["flake8_argscope", "flake8_argscope.*"]),
    python_requires=">=3.9",
    install_requires=["flake8>=6"],
    extras_require={
        # the pylint front end (flake8_argscope.pylint); flake8's path never imports these.
        # pylint 4 / astroid 4 need Python >= 3.10; 3.x is the last line for 3.9.
        "pylint": [
            "pylint>=3.0,<4; python_version < '3.10'",
            "astroid>=3.0,<4; python_version < '3.10'",
            "pylint>=3.0,<5; python_version >= '3.10'",
            "astroid>=3.0,<5; python_version >= '3.10'",
        ],
    },
    entry_points={
        "flake8.extension": ["ASC = flake8_argscope:ArgScopeChecker",
                             "ASC0 = flake8_argscope.handover:report_held"],
        "console_scripts": ["flake8-argscope = flake8_argscope.cli:main"],
        "pylsp": ["argscope = flake8_argscope.pylsp_plugin"],
    },
    classifiers=[
        "Framework :: Flake8",
        "Programming Language :: Python :: 3",
        "Programming Language :: Python :: 3 :: Only",
        "Programming Language :: Python :: 3.9",
        "Programming Language :: Python :: 3.10",
        "Programming Language :: Python :: 3.11",
        "Programming Language :: Python :: 3.12",
        "Programming Language :: Python :: 3.13",
        "Topic :: Software Development :: Quality Assurance",
    ],
)
