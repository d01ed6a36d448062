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
    python_requires=">=3.11",
    install_requires=["flake8>=7", "astroid>=4,<5"],
    entry_points={
        "flake8.extension": ["ASC = flake8_argscope:ArgScopeChecker"],
        "console_scripts": ["flake8-argscope = flake8_argscope.cli:main"],
        "pylsp": ["argscope = flake8_argscope.pylsp_plugin"],
    },
    classifiers=[
        "Framework :: Flake8",
        "Programming Language :: Python :: 3",
        "Topic :: Software Development :: Quality Assurance",
    ],
)
