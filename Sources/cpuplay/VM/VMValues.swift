import CPUPlayVirt

// The guest's choices a user types (`--type`, `--os`, `--windows-edition`) are words that parse
// themselves (`CommandLineValue`): a word they do not know is one line listing the choices.

extension VirtType: CommandLineValue {}

extension GuestOS: CommandLineValue {}

extension WindowsEdition: CommandLineValue {}
