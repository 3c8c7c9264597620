/* Unit tests for device type rules and the phone.csv map. */
#include <stdio.h>
#include <string.h>

#include "cucm/device.h"
#include "unit.h"

static void
test_types_from_model(void)
{
	CHECK_STR(device_type_from_model("Cisco Unified Client Services Framework"), "CSF");
	CHECK_STR(device_type_from_model("cisco dual mode for android"), "BOT");
	CHECK_STR(device_type_from_model("Cisco Dual Mode for iPhone"), "TCT");
	CHECK_STR(device_type_from_model("Cisco Jabber for Tablet"), "TAB");
	CHECK_STR(device_type_from_model("Cisco 8845"), "Cisco 8845");
	CHECK(device_type_from_model("NULL") == NULL);
	CHECK(device_type_from_model("") == NULL);
	CHECK(device_type_from_model(NULL) == NULL);
}

static void
test_types_from_name(void)
{
	CHECK_STR(device_type_from_name("CSFALICE"), "CSF");
	CHECK_STR(device_type_from_name("botalice"), "BOT");
	CHECK_STR(device_type_from_name("TCTALICE"), "TCT");
	CHECK_STR(device_type_from_name("TABALICE"), "TAB");
	CHECK(device_type_from_name("SEP001122334455") == NULL);
	CHECK(device_type_from_name("CSF") == NULL);
}

static void
test_map_grows_and_ignores_case(void)
{
	struct device_map m;
	char name[32];

	device_map_init(&m);
	for (int i = 0; i < 5000; i++) {
		snprintf(name, sizeof(name), "SEP%012d", i);
		CHECK_INT(device_map_put(&m, name, i % 2 ? "Cisco 8845" : NULL), 0);
	}
	CHECK_INT(m.n, 5000);
	CHECK_STR(device_map_get(&m, "sep000000000001"), "Cisco 8845");
	CHECK(device_map_get(&m, "SEP000000000002") == NULL);
	CHECK(device_map_get(&m, "SEPFFFF") == NULL);
	CHECK_INT(device_map_put(&m, "SEP000000000002", "Cisco 7841"), 0);
	CHECK_STR(device_map_get(&m, "SEP000000000002"), "Cisco 7841");
	CHECK_INT(m.n, 5000);
	device_map_release(&m);
}

static void
test_phone_csv_by_header_name(void)
{
	static const char csv[] =
	    "Description,Device Type,Device Name,Owner User ID\r\n"
	    "\"Alice, desk\",Cisco 8845,SEP001122334455,alice\r\n"
	    "Jabber,Cisco Unified Client Services Framework,CSFALICE,alice\r\n";
	struct device_map m;
	struct j2w_err err;
	FILE *fp = fmemopen((void *)csv, sizeof(csv) - 1, "r");

	device_map_init(&m);
	CHECK_INT(device_map_load_phone_csv(&m, fp, -1, "phone.csv", &err), 0);
	CHECK_STR(device_map_get(&m, "SEP001122334455"), "Cisco 8845");
	CHECK_STR(device_map_get(&m, "CSFALICE"), "CSF");
	fclose(fp);
	device_map_release(&m);
}

static void
test_phone_csv_without_columns_is_bad_data(void)
{
	static const char csv[] = "Name,Model\r\nSEP1,Cisco 8845\r\n";
	struct device_map m;
	struct j2w_err err;
	FILE *fp = fmemopen((void *)csv, sizeof(csv) - 1, "r");

	device_map_init(&m);
	CHECK_INT(device_map_load_phone_csv(&m, fp, -1, "phone.csv", &err), -1);
	CHECK_INT(err.status, J2W_EDATA);
	CHECK(strstr(err.msg, "phone.csv:1:") != NULL);
	fclose(fp);
	device_map_release(&m);
}

UNIT_MAIN(TEST(test_types_from_model), TEST(test_types_from_name),
    TEST(test_map_grows_and_ignores_case), TEST(test_phone_csv_by_header_name),
    TEST(test_phone_csv_without_columns_is_bad_data))
