/** IVMS101 Travel Rule data of the payments suites: a Singapore originator, a Jakarta beneficiary. */
export const ORIGINATOR = {
  originatorPersons: [
    {
      naturalPerson: {
        name: {
          nameIdentifier: [
            { primaryIdentifier: 'Tan', secondaryIdentifier: 'Mei Ling', nameIdentifierType: 'LEGL' },
          ],
        },
        geographicAddress: [
          {
            addressType: 'HOME',
            streetName: 'Orchard Road',
            buildingNumber: '391',
            postCode: '238872',
            townName: 'Singapore',
            country: 'SG',
          },
        ],
        dateAndPlaceOfBirth: { dateOfBirth: '1988-04-12', placeOfBirth: 'Singapore' },
      },
    },
  ],
  accountNumber: ['0x8ba1f109551bd432803012645ac136ddd64dba72'],
}

export const BENEFICIARY = {
  beneficiaryPersons: [
    {
      naturalPerson: {
        name: {
          nameIdentifier: [
            { primaryIdentifier: 'Santoso', secondaryIdentifier: 'Budi', nameIdentifierType: 'LEGL' },
          ],
        },
      },
    },
  ],
  accountNumber: ['1234567890'],
}

export const TRAVEL_RULE = { originator: ORIGINATOR, beneficiary: BENEFICIARY }
