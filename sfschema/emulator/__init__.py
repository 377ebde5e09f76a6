"""The offline org emulator: a Salesforce-compatible REST server driven by a snapshot directory.

>>> emu = Emulator.demo()
>>> emu.session().get(emu.instance_url + "/services/data/").json()[-1]["version"]
'59.0'
"""

from sfschema.emulator.emulator import Emulator
from sfschema.emulator.faults import Faults
from sfschema.emulator.settings import EmulatorSettings
from sfschema.emulator.users import DEMO_USER, READONLY_USER, ObjectAccess, User

__all__ = [
    "DEMO_USER",
    "READONLY_USER",
    "Emulator",
    "EmulatorSettings",
    "Faults",
    "ObjectAccess",
    "User",
]
