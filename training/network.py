"""CryoREAD detection network (reference section 6), clean-room, with one width parameter.

Width w gives filters [w, 2w, 4w], CatChannels w, UpChannels 3w; w = 64 is CryoREAD's network
(parameter counts of reference section 6.5) and its module names follow the checkpoint key layout of
section 6.6, so CryoREAD's state dicts load strictly (see convert_cryoread_checkpoint.py).

- SmallUNet3Plus (S): stage-1 chain net (1 -> 4) and stage-2 net (8 -> 8), deep supervision.
- BaseUNet (B): stage-1 base net (1 -> 5), encoder fed by the chain net's decoder features.
- Stage1Cascade: chain_net + base_net (attribute names match `module.chain_net.` / `module.base_net.`).
- Stage1Export / Stage2Export: the ONNX contract (first head only, sigmoid inside the graph).
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

# Channel orders of the contract.
CHAIN_CLASSES = ("sugar", "phosphate", "base", "protein")
BASE_CLASSES = ("A", "U", "C", "G", "T")
STAGE2_INPUT = ("sugar", "phosphate", "base", "protein", "A", "UT", "C", "G")
STAGE2_OUTPUT = ("sugar", "phosphate", "A", "UT", "C", "G", "protein", "base")


def conv3(cin, cout):
    return nn.Conv3d(cin, cout, kernel_size=3, stride=1, padding=1, bias=True)


class DoubleConv(nn.Module):
    """[Conv, BN, ReLU] x 2, as sub-sequentials conv1 / conv2 (indices 0 Conv, 1 BN, 2 ReLU)."""

    def __init__(self, cin, cout):
        super().__init__()
        self.conv1 = nn.Sequential(conv3(cin, cout), nn.BatchNorm3d(cout), nn.ReLU(inplace=True))
        self.conv2 = nn.Sequential(conv3(cout, cout), nn.BatchNorm3d(cout), nn.ReLU(inplace=True))

    def forward(self, x):
        return self.conv2(self.conv1(x))


def widths(w):
    """(filters, cat, up) for width w."""
    return [w, 2 * w, 4 * w], w, 3 * w


class _Decoder(nn.Module):
    """Encoder-agnostic part shared by S and B: full-scale skips, two decoder levels, three heads."""

    def _build_decoder(self, w, n_classes):
        f, cat, up = widths(w)
        self.maxpool_ceil = nn.MaxPool3d(2, 2, ceil_mode=True)
        # decoder level 2
        self.h1_PT_hd2_conv, self.h1_PT_hd2_bn = conv3(f[0], cat), nn.BatchNorm3d(cat)
        self.h2_Cat_hd2_conv, self.h2_Cat_hd2_bn = conv3(f[1], cat), nn.BatchNorm3d(cat)
        self.hd3_UT_hd2_conv, self.hd3_UT_hd2_bn = conv3(f[2], cat), nn.BatchNorm3d(cat)
        self.conv2d_1, self.bn2d_1 = conv3(up, up), nn.BatchNorm3d(up)
        # decoder level 1
        self.h1_Cat_hd1_conv, self.h1_Cat_hd1_bn = conv3(f[0], cat), nn.BatchNorm3d(cat)
        self.hd2_UT_hd1_conv, self.hd2_UT_hd1_bn = conv3(up, cat), nn.BatchNorm3d(cat)
        self.hd3_UT_hd1_conv, self.hd3_UT_hd1_bn = conv3(f[2], cat), nn.BatchNorm3d(cat)
        self.conv1d_1, self.bn1d_1 = conv3(up, up), nn.BatchNorm3d(up)
        # heads
        self.outconv1 = conv3(up, n_classes)
        self.outconv2 = conv3(up, n_classes)
        self.outconv3 = conv3(f[2], n_classes)

    @staticmethod
    def _up(x, s):
        return F.interpolate(x, scale_factor=s, mode="trilinear", align_corners=False)

    @staticmethod
    def _cbr(conv, bn, x):
        return F.relu(bn(conv(x)))

    def _decode(self, h1, h2, hd3, heads=True):
        a = self._cbr(self.h1_PT_hd2_conv, self.h1_PT_hd2_bn, self.maxpool_ceil(h1))
        b = self._cbr(self.h2_Cat_hd2_conv, self.h2_Cat_hd2_bn, h2)
        c = self._cbr(self.hd3_UT_hd2_conv, self.hd3_UT_hd2_bn, self._up(hd3, 2))
        hd2 = self._cbr(self.conv2d_1, self.bn2d_1, torch.cat([a, b, c], 1))
        d = self._cbr(self.h1_Cat_hd1_conv, self.h1_Cat_hd1_bn, h1)
        e = self._cbr(self.hd2_UT_hd1_conv, self.hd2_UT_hd1_bn, self._up(hd2, 2))
        g = self._cbr(self.hd3_UT_hd1_conv, self.hd3_UT_hd1_bn, self._up(hd3, 4))
        hd1 = self._cbr(self.conv1d_1, self.bn1d_1, torch.cat([d, e, g], 1))
        out1 = self.outconv1(hd1)
        if not heads:
            return [out1], [hd1, hd2, hd3]
        out2 = self._up(self.outconv2(hd2), 2)
        out3 = self._up(self.outconv3(hd3), 4)
        return [out1, out2, out3], [hd1, hd2, hd3]


class SmallUNet3Plus(_Decoder):
    """Reference 6.1 (S). forward(x) -> ([out1, out2, out3], [hd1, hd2, hd3]); input edge divisible by 4."""

    def __init__(self, in_channels, n_classes, width=64):
        super().__init__()
        f, _, _ = widths(width)
        self.width = width
        self.conv1 = DoubleConv(in_channels, f[0])
        self.conv2 = DoubleConv(f[0], f[1])
        self.conv3 = DoubleConv(f[1], f[2])
        self.maxpool = nn.MaxPool3d(2, 2)
        self._build_decoder(width, n_classes)

    def forward(self, x, deep_supervision=True):
        h1 = self.conv1(x)
        h2 = self.conv2(self.maxpool(h1))
        hd3 = self.conv3(self.maxpool(h2))
        return self._decode(h1, h2, hd3, deep_supervision)


class BaseUNet(_Decoder):
    """Reference 6.2 (B): encoder blocks take the chain net's [hd1, hd2, hd3] as extra input channels."""

    def __init__(self, in_channels, n_classes, width=64):
        super().__init__()
        f, _, up = widths(width)
        self.width = width
        self.conv1 = DoubleConv(in_channels + up, f[0])
        self.conv2 = DoubleConv(f[0] + up, f[1])
        self.conv3 = DoubleConv(f[1] + f[2], f[2])
        self.maxpool = nn.MaxPool3d(2, 2)
        self._build_decoder(width, n_classes)

    def forward(self, x, features, deep_supervision=True):
        c1, c2, c3 = features
        h1 = self.conv1(torch.cat([x, c1], 1))
        h2 = self.conv2(torch.cat([self.maxpool(h1), c2], 1))
        hd3 = self.conv3(torch.cat([self.maxpool(h2), c3], 1))
        return self._decode(h1, h2, hd3, deep_supervision)


class Stage1Cascade(nn.Module):
    """Reference 6.3: chain_net = S(1, 4), base_net = B(1, 5). Returns (chain_outputs, base_outputs) logits."""

    def __init__(self, width=64):
        super().__init__()
        self.width = width
        self.chain_net = SmallUNet3Plus(1, len(CHAIN_CLASSES), width)
        self.base_net = BaseUNet(1, len(BASE_CLASSES), width)

    def forward(self, x, deep_supervision=True):
        chain, feats = self.chain_net(x, deep_supervision)
        base, _ = self.base_net(x, feats, deep_supervision)
        return chain, base


def stage2_net(width=64):
    """Reference 6.4: S(8, 8), outputs in STAGE2_OUTPUT order."""
    return SmallUNet3Plus(len(STAGE2_INPUT), len(STAGE2_OUTPUT), width)


class Stage1Export(nn.Module):
    """ONNX stage 1: density [N,1,D,H,W] -> chain [N,4,...], base [N,5,...] probabilities."""

    def __init__(self, cascade):
        super().__init__()
        self.cascade = cascade

    def forward(self, density):
        chain, base = self.cascade(density, deep_supervision=False)
        return torch.sigmoid(chain[0]), torch.sigmoid(base[0])


class Stage2Export(nn.Module):
    """ONNX stage 2: prob8 [N,8,...] (STAGE2_INPUT order) -> prob [N,8,...] (STAGE2_OUTPUT order)."""

    def __init__(self, net):
        super().__init__()
        self.net = net

    def forward(self, prob8):
        out, _ = self.net(prob8, deep_supervision=False)
        return torch.sigmoid(out[0])


def merge_base(base_prob):
    """Stage-1 base probabilities [N,5] (A,U,C,G,T) -> [N,4] (A, max(U,T), C, G) as stage 2 expects."""
    return torch.stack([base_prob[:, 0], torch.maximum(base_prob[:, 1], base_prob[:, 4]), base_prob[:, 2], base_prob[:, 3]], 1)


def init_weights(module):
    """CryoREAD's initialisation (6.6): Kaiming-normal fan_in convs, BN weight ~ N(1, 0.02), biases 0."""
    for m in module.modules():
        if isinstance(m, nn.Conv3d):
            nn.init.kaiming_normal_(m.weight, a=0, mode="fan_in")
            if m.bias is not None:
                nn.init.zeros_(m.bias)
        elif isinstance(m, nn.BatchNorm3d):
            nn.init.normal_(m.weight, 1.0, 0.02)
            nn.init.zeros_(m.bias)


def count_parameters(module):
    """Weights + biases (BN weight and bias included, running stats not)."""
    return sum(p.numel() for p in module.parameters())
