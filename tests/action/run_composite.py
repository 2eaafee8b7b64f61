#!/usr/bin/env python3
"""Runs a composite GitHub Action (action.yml) on this machine the way a runner would:
each step in order, `${{ }}` expressions substituted, `if:` evaluated, outputs passed
through GITHUB_OUTPUT files, and a failed step skipping the rest except `always()` ones.
The actions it `uses:` are stood in for: actions/cache misses (so the build runs),
actions/upload-artifact copies the files into ARTIFACTS/NAME, and
mikepenz/action-junit-report parses the JUnit file and prints its counts.

usage: run_composite.py ACTION_DIR WORKSPACE ARTIFACTS [name=value ...]
Exit status: 0 when every step succeeded, 1 when one failed (as the job would end).
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

import yaml


def parse_outputs(path):
    """GITHUB_OUTPUT: name=value lines and name<<DELIM heredocs."""
    outputs, lines = {}, open(path, encoding="utf-8").read().splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            name, delim = line.split("<<", 1)
            value = []
            i += 1
            while i < len(lines) and lines[i] != delim:
                value.append(lines[i])
                i += 1
            outputs[name] = "\n".join(value)
        elif "=" in line:
            name, value = line.split("=", 1)
            outputs[name] = value
        i += 1
    return outputs


class Runner:
    def __init__(self, action_dir, workspace, artifacts, inputs):
        self.action_dir = os.path.abspath(action_dir)
        self.workspace = os.path.abspath(workspace)
        self.artifacts = artifacts
        self.action = yaml.safe_load(open(os.path.join(self.action_dir, "action.yml")))
        self.inputs = {k: str(v.get("default", "")) for k, v in self.action["inputs"].items()}
        for k, v in inputs.items():
            if k not in self.inputs:
                raise SystemExit(f"run_composite: action.yml has no input '{k}'")
            self.inputs[k] = v
        for k, spec in self.action["inputs"].items():
            if spec.get("required") and not self.inputs[k]:
                raise SystemExit(f"run_composite: input '{k}' is required")
        self.steps = {}
        self.failed = False
        self.temp = tempfile.mkdtemp(prefix="runner-temp.")

    # ${{ ... }} expressions: the subset action.yml uses.
    def value(self, expr):
        expr = expr.strip()
        if expr == "always()":
            return True
        m = re.fullmatch(r"'([^']*)'", expr)
        if m:
            return m.group(1)
        parts = expr.split(".")
        if parts[0] == "inputs":
            return self.inputs[".".join(parts[1:])]
        if parts[0] == "steps" and len(parts) == 4 and parts[2] == "outputs":
            return self.steps.get(parts[1], {}).get(parts[3], "")
        if expr == "github.action_path":
            return self.action_dir
        if expr == "runner.os":
            return "Linux"
        if expr == "runner.temp":
            return self.temp
        raise SystemExit(f"run_composite: unsupported expression '{expr}'")

    def condition(self, text):
        if text is None:
            return not self.failed
        text = str(text).strip()
        if text.startswith("${{") and text.endswith("}}"):
            text = text[3:-2]
        terms = [t.strip() for t in text.split("&&")]
        uses_always = any(t == "always()" for t in terms)
        if self.failed and not uses_always:
            return False
        for term in terms:
            m = re.fullmatch(r"(.+?)\s*(==|!=)\s*(.+)", term)
            if m:
                left, right = self.value(m.group(1)), self.value(m.group(3))
                ok = (left == right) if m.group(2) == "==" else (left != right)
            else:
                ok = bool(self.value(term))
            if not ok:
                return False
        return True

    def substitute(self, text):
        return re.sub(r"\$\{\{(.*?)\}\}", lambda m: str(self.value(m.group(1))), str(text))

    def env(self, step, output_file):
        env = dict(os.environ)
        env.update({
            "GITHUB_ACTIONS": "true", "CI": "true",
            "GITHUB_ACTION_PATH": self.action_dir, "GITHUB_WORKSPACE": self.workspace,
            "GITHUB_OUTPUT": output_file, "RUNNER_TEMP": self.temp,
            "GITHUB_STEP_SUMMARY": os.path.join(self.temp, "summary.md"),
        })
        for k, v in (step.get("env") or {}).items():
            env[k] = self.substitute(v)
        return env

    def run_step(self, step):
        output_file = os.path.join(self.temp, f"output-{len(self.steps)}")
        open(output_file, "w").close()
        if "run" in step:
            cwd = os.path.join(self.workspace, self.substitute(step.get("working-directory", ".")))
            script = self.substitute(step["run"])
            code = subprocess.call(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
                                   cwd=cwd, env=self.env(step, output_file))
        else:
            code = self.uses(step, output_file)
        return code, parse_outputs(output_file)

    def uses(self, step, output_file):
        name = step["uses"].split("@")[0]
        args = {k: self.substitute(v) for k, v in (step.get("with") or {}).items()}
        if name == "actions/cache":
            with open(output_file, "a") as f:
                f.write("cache-hit=false\n")
            return 0
        if name == "actions/upload-artifact":
            target = os.path.join(self.artifacts, args["name"])
            os.makedirs(target, exist_ok=True)
            for path in filter(None, args["path"].splitlines()):
                if not os.path.exists(path):
                    print(f"upload-artifact: no such file {path}")
                    return 0 if args.get("if-no-files-found") != "error" else 1
                shutil.copy(path, target)
            return 0
        if name == "mikepenz/action-junit-report":
            root = ET.parse(args["report_paths"]).getroot()
            cases = root.iter("testcase")
            total = failures = 0
            for case in cases:
                total += 1
                failures += case.find("failure") is not None or case.find("error") is not None
            print(f"junit: {total} test cases, {failures} failed")
            return 0
        print(f"run_composite: no stand-in for uses: {step['uses']}")
        return 1

    def run(self):
        for index, step in enumerate(self.action["runs"]["steps"]):
            label = step.get("name", f"step {index + 1}")
            if not self.condition(step.get("if")):
                print(f"--- skipped: {label}", flush=True)
                continue
            print(f"--- step: {label}", flush=True)
            code, outputs = self.run_step(step)
            self.steps[step.get("id", f"_{index}")] = outputs
            if code != 0:
                print(f"--- step failed ({code}): {label}", flush=True)
                if not step.get("continue-on-error"):
                    self.failed = True
        for name, spec in (self.action.get("outputs") or {}).items():
            print(f"output {name}={self.substitute(spec['value'])}")
        summary = os.path.join(self.temp, "summary.md")
        if os.path.exists(summary):
            shutil.copy(summary, os.path.join(self.artifacts, "step-summary.md"))
        shutil.rmtree(self.temp, ignore_errors=True)
        return 1 if self.failed else 0


def main():
    if len(sys.argv) < 4:
        raise SystemExit(__doc__)
    inputs = dict(arg.split("=", 1) for arg in sys.argv[4:])
    os.makedirs(sys.argv[3], exist_ok=True)
    sys.exit(Runner(sys.argv[1], sys.argv[2], sys.argv[3], inputs).run())


if __name__ == "__main__":
    main()
