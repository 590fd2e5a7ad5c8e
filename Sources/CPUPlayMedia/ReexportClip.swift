// The clip model moved to CPUPlayClip (no FFmpeg); re-exported so `import CPUPlayMedia` still sees it.
@_exported import CPUPlayClip
