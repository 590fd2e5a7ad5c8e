// /proc/stat reading (CPUTimes, ProcStatSnapshot, ProcStatSampler, FrameWindowSampler) lives in CPUPlayFeedback, below
// the engine, so the guest player can read it without FFmpeg; measuring code keeps using it
// through this module as before.
@_exported import CPUPlayFeedback
