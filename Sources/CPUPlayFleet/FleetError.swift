/// A fleet value that cannot be used: `description` is one complete line naming the value
/// and what is accepted.
public struct FleetError: Error, Equatable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
