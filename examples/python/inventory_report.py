"""Uses the Java-defined `inventory` module from Python (run by InventoryApp or by bin/jawait)."""
import inventory

print("Python: 2 + 3 =", inventory.add(2, 3))
inventory.receive("tea", 40)
inventory.receive("coffee", 25)
inventory.receive("tea")
print("Python: after shipping 10 tea, tea =", inventory.ship("tea", 10))
try:
    inventory.ship("coffee", 100)
except ValueError as error:  # a Java IllegalArgumentException, raised as jawait.JavaValueError
    print("Python: refused:", error)
try:
    inventory.receive("tea", "many")
except TypeError as error:
    print("Python: refused:", error)
print("Python: levels =", inventory.levels())
