// Renders an SVG file to PNG with rsvg-convert (librsvg, as a browser would draw it) and reads
// the pixels back, so figure tests look at the picture, not at the SVG text.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <png.h>

#include <catch2/catch.hpp>

namespace offsched::test {

struct Rgba {
    uint32_t width = 0, height = 0;
    std::vector<uint8_t> px; // RGBA, row-major
    uint32_t at(uint32_t x, uint32_t y) const
    {
        const uint8_t* p = &px[(size_t(y) * width + x) * 4];
        return uint32_t(p[0]) << 16 | uint32_t(p[1]) << 8 | p[2];
    }
    // Pixels of colour `rgb` (within `tol` per channel) in the rectangle.
    size_t count(uint32_t rgb, uint32_t x0, uint32_t y0, uint32_t x1, uint32_t y1, int tol = 8) const
    {
        size_t n = 0;
        for (uint32_t y = y0; y < y1 && y < height; ++y)
            for (uint32_t x = x0; x < x1 && x < width; ++x) {
                const uint32_t c = at(x, y);
                bool near = true;
                for (int s = 0; s < 24; s += 8) near = near && std::abs(int(c >> s & 255) - int(rgb >> s & 255)) <= tol;
                n += near;
            }
        return n;
    }
};

inline Rgba render_svg_to_png(const std::string& svg_path)
{
    const std::string png = svg_path + ".png";
    const std::string cmd = std::string(RSVG_CONVERT) + " -f png -o '" + png + "' '" + svg_path + "' 2>&1";
    REQUIRE(std::system(cmd.c_str()) == 0);
    png_image img{};
    img.version = PNG_IMAGE_VERSION;
    REQUIRE(png_image_begin_read_from_file(&img, png.c_str()) != 0);
    img.format = PNG_FORMAT_RGBA;
    Rgba out;
    out.width = img.width;
    out.height = img.height;
    out.px.resize(PNG_IMAGE_SIZE(img));
    REQUIRE(png_image_finish_read(&img, nullptr, out.px.data(), 0, nullptr) != 0);
    return out;
}

} // namespace offsched::test
