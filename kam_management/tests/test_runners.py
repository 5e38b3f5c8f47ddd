import pathlib
import unittest

from odoo.modules.module import get_module_path
from odoo.tests import HttpCase, TransactionCase, tagged
from odoo.tests.loader import get_module_test_cases, get_test_modules

# The tag of the tests that need Odoo's HTTP server (HttpCase): scripts/test.sh
# runs them with odoo-bin --test-tags=kam_http/<addon>
HTTP_TAG = "kam_http"


@tagged("post_install", "-at_install")
class TestRunners(TransactionCase):
    """Odoo's runner (odoo-bin --test-enable) and pytest-odoo see the same tests of
    the installed kam_management addons, and the test command runs each of them:
    pytest-odoo every test but the HttpCase ones (it skips them: it starts no HTTP
    server), odoo-bin the HttpCase ones, selected by the tag ``kam_http``."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        addons = cls.env["ir.module.module"].search(
            [("name", "=like", "kam_management%"), ("state", "=", "installed")]
        )
        # {addon: the test modules Odoo's loader imports (tests/__init__.py)}
        cls.test_modules = {
            addon: [
                module
                for module in get_test_modules(addon)
                if module.__name__.startswith(f"odoo.addons.{addon}.tests.")
            ]
            for addon in addons.mapped("name")
        }

    def _classes(self):
        """(module, class) of every test class defined in the test modules."""
        for modules in self.test_modules.values():
            for module in modules:
                for value in vars(module).values():
                    if (
                        isinstance(value, type)
                        and issubclass(value, unittest.TestCase)
                        and value.__module__ == module.__name__
                    ):
                        yield module, value

    def test_every_test_module_imported(self):
        """A test_*.py file that tests/__init__.py does not import is run by
        pytest-odoo (it collects the files) but never by odoo-bin."""
        for addon, modules in self.test_modules.items():
            files = pathlib.Path(get_module_path(addon), "tests").glob("test_*.py")
            imported = {module.__name__.rsplit(".", 1)[1] for module in modules}
            self.assertFalse(
                {file.stem for file in files} - imported,
                f"test modules of {addon} not imported by its tests/__init__.py",
            )

    def test_same_tests_in_both_runners(self):
        """pytest-odoo runs the test methods of every TestCase class of a module's
        namespace (inherited methods and imported classes too); Odoo's loader the
        methods a class defines itself (inherited ones only with
        ``allow_inherited_tests_method``) of the classes the module defines."""
        loader = unittest.TestLoader()
        for modules in self.test_modules.values():
            for module in modules:
                odoo_tests = {
                    (type(test).__qualname__, test._testMethodName)
                    for test in get_module_test_cases(module)
                }
                pytest_tests = {
                    (value.__qualname__, name)
                    for value in vars(module).values()
                    if isinstance(value, type) and issubclass(value, unittest.TestCase)
                    for name in loader.getTestCaseNames(value)
                }
                self.assertEqual(
                    pytest_tests - odoo_tests,
                    set(),
                    f"{module.__name__}: tests pytest-odoo runs and odoo-bin does not",
                )
                self.assertEqual(
                    odoo_tests - pytest_tests,
                    set(),
                    f"{module.__name__}: tests odoo-bin runs and pytest-odoo does not",
                )

    def test_http_cases_tagged(self):
        """pytest-odoo skips the HttpCase tests, and odoo-bin runs only those
        tagged kam_http: an untagged one would run nowhere, a tagged
        TransactionCase twice. odoo-bin without -i runs post_install tests only."""
        for module, test_class in self._classes():
            name = f"{module.__name__}.{test_class.__qualname__}"
            if issubclass(test_class, HttpCase):
                self.assertIn(HTTP_TAG, test_class.test_tags, f"{name} is not tagged")
                self.assertIn("post_install", test_class.test_tags, name)
            else:
                self.assertNotIn(HTTP_TAG, test_class.test_tags, name)
