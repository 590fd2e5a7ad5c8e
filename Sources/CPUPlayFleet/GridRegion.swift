import CPUPlayClip
import CPUPlayCore

/// A rectangle of the whole picture's grid: the part one machine of a fleet draws.
///
/// A fleet plays one clip whose grid is larger than any machine; each node plays only its
/// rectangle, on its own CPUs, with the layout applied inside it. Kept as a value so the
/// split, the check against the grid and the crop agree on the same numbers.
public struct GridRegion: Sendable, Equatable, CustomStringConvertible {
    public let x: Int
    public let y: Int
    public let width: Int
    public let height: Int

    /// `X,Y,WxH`, as a region is written.
    public var description: String { "\(x),\(y),\(width)x\(height)" }

    /// A refusal of the value shown as `shown` (quoted when typed), `why` completing the line.
    static func refusal(_ shown: String, _ why: String) -> FleetError {
        FleetError(setting: .region, "\(Setting.region) \(shown)\(why)")
    }

}

// In an extension, so that the module keeps the synthesized memberwise initialiser.
extension GridRegion {
    /// Parses `X,Y,WxH` (for example `16,0,16x18`).
    public init(parsing text: String) throws(FleetError) {
        let parts = text.lowercased().filter { !$0.isWhitespace }.split(separator: ",",
                                                                        omittingEmptySubsequences: false)
        let size = parts.count == 3 ? parts[2].split(separator: "x", omittingEmptySubsequences: false) : []
        guard parts.count == 3, size.count == 2,
              let x = Int(parts[0]), let y = Int(parts[1]), let w = Int(size[0]), let h = Int(size[1]) else {
            throw Self.refusal(CPUPlayError.quoted(text),
                               ": expected X,Y,WxH with whole numbers, for example 16,0,16x18")
        }
        guard x >= 0, y >= 0, w >= 1, h >= 1 else {
            throw Self.refusal(CPUPlayError.quoted(text), ": X and Y must be 0 or more, W and H at least 1")
        }
        self.init(x: x, y: y, width: w, height: h)
    }

    /// Checks the region lies inside `grid` and returns its size as a grid.
    public func checked(inside grid: GridSize) throws(FleetError) -> GridSize {
        guard x.addingReportingOverflow(width).partialValue <= grid.width, !x.addingReportingOverflow(width).overflow,
              y.addingReportingOverflow(height).partialValue <= grid.height,
                  !y.addingReportingOverflow(height).overflow else {
            throw Self.refusal(description,
                    " reaches outside the \(grid) grid (columns 0-\(grid.width - 1), rows 0-\(grid.height - 1))")
        }
        do { return try GridSize(width: width, height: height) } catch { throw Self.refusal(description, ": \(error)") }
    }

    /// True when the two rectangles share a cell.
    public func overlaps(_ other: GridRegion) -> Bool {
        x < other.x + other.width && other.x < x + width && y < other.y + other.height && other.y < y + height
    }
}
