from . import portal
from . import workbook
