// Wire constants for the Ethernet/IPv4/IPv6/TCP/UDP/ICMPv6 subset services understand.
#pragma once

#include "model/types.h"

namespace offsched::net {

constexpr u16 kEthHeaderLen = 14;
constexpr u16 kVlanTagLen = 4;
constexpr u16 kIpv4MinHeaderLen = 20;
constexpr u16 kIpv6HeaderLen = 40;
constexpr u16 kIcmpv6MinHeaderLen = 4; // type, code, checksum
constexpr u16 kTcpMinHeaderLen = 20;
constexpr u16 kTcpMaxHeaderLen = 60;
constexpr u16 kUdpHeaderLen = 8;
constexpr u16 kEthMinFrameLen = 60; // without FCS: shorter frames are padded by the sender

constexpr u16 kEtherTypeIpv4 = 0x0800;
constexpr u16 kEtherTypeArp = 0x0806;
constexpr u16 kEtherTypeVlan = 0x8100;
constexpr u16 kEtherTypeIpv6 = 0x86dd;

constexpr u8 kIpProtoIcmp = 1;
constexpr u8 kIpProtoTcp = 6;
constexpr u8 kIpProtoUdp = 17;
constexpr u8 kIpProtoIcmpv6 = 58;
// IPv6 extension headers (next header values) the parser walks.
constexpr u8 kIpProtoHopOpts = 0;
constexpr u8 kIpProtoRouting = 43;
constexpr u8 kIpProtoFragment = 44;
constexpr u8 kIpProtoAh = 51;
constexpr u8 kIpProtoDstOpts = 60;
// Options inside hop-by-hop and destination options headers.
constexpr u8 kIpv6OptPad1 = 0;
constexpr u8 kIpv6OptPadN = 1;
constexpr u8 kIpv6OptRouterAlert = 5;
// ICMPv6 neighbour discovery (RFC 4861): router solicitation .. redirect.
constexpr u8 kIcmpv6NdFirst = 133;
constexpr u8 kIcmpv6NdLast = 137;

// IPv4 flags/fragment-offset word.
constexpr u16 kIpFlagMoreFragments = 0x2000;
constexpr u16 kIpFlagDontFragment = 0x4000;
constexpr u16 kIpFragOffsetMask = 0x1fff;

// TCP flag bits (byte 13 of the header).
constexpr u8 kTcpFin = 0x01;
constexpr u8 kTcpSyn = 0x02;
constexpr u8 kTcpRst = 0x04;
constexpr u8 kTcpPsh = 0x08;
constexpr u8 kTcpAck = 0x10;
constexpr u8 kTcpUrg = 0x20;
constexpr u8 kTcpEce = 0x40;
constexpr u8 kTcpCwr = 0x80;

// TCP option kinds the parser reads (others are skipped by length).
constexpr u8 kTcpOptEnd = 0;
constexpr u8 kTcpOptNop = 1;
constexpr u8 kTcpOptMss = 2;
constexpr u8 kTcpOptWscale = 3;
constexpr u8 kTcpOptSackPerm = 4;
constexpr u8 kTcpOptSack = 5;
constexpr u8 kTcpOptTimestamp = 8;

} // namespace offsched::net
