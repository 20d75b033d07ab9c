import warnings

# pyHanko imports cryptography's DSA module, deprecated there; the portal never uses DSA keys.
warnings.filterwarnings("ignore", message="DSA is deprecated")
