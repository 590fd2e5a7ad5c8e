#!/usr/bin/env python3
"""Write cpuplay's man page (roff, section 1) from the command-line parser itself.

usage: make-manpage.py [CPUPLAY] > cpuplay.1      (CPUPLAY defaults to `cpuplay` on PATH)
       man -l cpuplay.1

It reads `cpuplay --experimental-dump-help` (swift-argument-parser's description of every
subcommand, option and help text), so the page can never disagree with `--help`.
"""
import json
import subprocess
import sys


def esc(text):
    """Roff-safe text: backslashes, leading dots/quotes, hyphens in option names."""
    text = (text or "").replace("\\", "\\e")
    lines = []
    for line in text.split("\n"):
        if line.startswith((".", "'")):
            line = "\\&" + line
        lines.append(line)
    return "\n".join(lines)


def option_synopsis(arg):
    names = sorted(arg.get("names", []), key=lambda n: n["kind"] != "short")
    spelled = ", ".join(("-" if n["kind"] == "short" else "--") + n["name"] for n in names)
    if arg["kind"] == "positional":
        return f"<{arg.get('valueName', 'value')}>"
    if arg["kind"] == "option":
        spelled += f" <{arg.get('valueName', 'value')}>"
    return spelled.replace("-", "\\-")


def section(out, command, path):
    name = " ".join(path)
    visible = [a for a in command.get("arguments", []) if a.get("shouldDisplay", True)]
    out.append(f'.SH "{esc(name).upper()}"' if len(path) > 1 else ".SH DESCRIPTION")
    if len(path) > 1:
        out.append(f".B {esc(name)}")
        out.append(".br")
    out.append(esc(command.get("abstract", "")))
    if command.get("discussion"):
        out.append(".PP")
        out.append(esc(command["discussion"]).replace("\n\n", "\n.PP\n"))
    for arg in visible:
        if arg.get("names") and any(n["name"] in ("help", "version") for n in arg["names"]) and len(path) > 1:
            continue
        out.append(".TP")
        out.append(f".B {option_synopsis(arg)}")
        text = esc(arg.get("abstract", ""))
        if arg.get("defaultValue") not in (None, "", "false"):
            text += f" (default: {esc(arg['defaultValue'])})"
        out.append(text)
    for sub in command.get("subcommands", []):
        if sub.get("shouldDisplay", True) and sub["commandName"] != "help":
            section(out, sub, path + [sub["commandName"]])


def main():
    exe = sys.argv[1] if len(sys.argv) > 1 else "cpuplay"
    dump = json.loads(subprocess.run([exe, "--experimental-dump-help"], check=True, capture_output=True, text=True).stdout)
    version = subprocess.run([exe, "--version"], capture_output=True, text=True).stdout.strip()
    root = dump["command"]
    out = [
        f'.TH CPUPLAY 1 "" "cpuplay {esc(version)}" "User Commands"',
        ".SH NAME",
        f"cpuplay \\- {esc(root.get('abstract', ''))}",
        ".SH SYNOPSIS",
        ".B cpuplay",
        "\\fISUBCOMMAND\\fR [\\fIOPTIONS\\fR]",
        ".PP",
        "Subcommands: " + ", ".join(s["commandName"] for s in root.get("subcommands", []) if s["commandName"] != "help") + ".",
    ]
    section(out, root, ["cpuplay"])
    out += [".SH EXIT STATUS",
            "0 on success; 1 for a failure (one line on stderr); 64 for a bad command line; "
            "128 + the signal number when stopped by SIGINT, SIGTERM, SIGHUP or SIGPIPE.",
            ".SH SEE ALSO", "htop(1), btop(1), ffmpeg(1), virsh(1)"]
    sys.stdout.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
