import CPUPlayClip

extension Clip {
    /// The frames of `region` only: what one node of a fleet draws.
    public func cropped(to region: GridRegion) throws(FleetError) -> Clip {
        let size = try region.checked(inside: grid)
        var levels: [UInt8] = []
        levels.reserveCapacity(size.cellCount * frameCount)
        for f in 0..<frameCount {
            let frame = self.frame(f)
            let base = frame.startIndex
            for y in region.y..<(region.y + region.height) {
                let row = base + y * grid.width + region.x
                levels.append(contentsOf: frame[row..<(row + region.width)])
            }
        }
        return Clip(grid: size, frameRate: frameRate, levels: levels)
    }
}
