#include "linkage/population_names.h"

#include <array>

namespace kith::linkage::population_data {
namespace {

// clang-format off

// ---- British given names: births a year in England and Wales (ONS, rounded) ----------------

constexpr WeightedName kBoys2008[] = {
    {"Jack", 7600}, {"Oliver", 6000}, {"Thomas", 5700}, {"Harry", 5600}, {"Joshua", 5400}, {"Alfie", 5000},
    {"Charlie", 4900}, {"Daniel", 4500}, {"James", 4400}, {"William", 4200}, {"Samuel", 4000}, {"George", 3700},
    {"Joseph", 3500}, {"Lewis", 3400}, {"Ethan", 3400}, {"Dylan", 3200}, {"Benjamin", 3100}, {"Alexander", 3000},
    {"Jacob", 3000}, {"Ryan", 2900}, {"Liam", 2800}, {"Jake", 2800}, {"Max", 2700}, {"Luke", 2700},
    {"Tyler", 2600}, {"Callum", 2500}, {"Matthew", 2500}, {"Jayden", 2400}, {"Oscar", 2400}, {"Adam", 2300},
    {"Archie", 2300}, {"Harvey", 2200}, {"Cameron", 2200}, {"Connor", 2100}, {"Nathan", 2100}, {"Kieran", 2000},
    {"Leo", 1900}, {"Kyle", 1900}, {"Michael", 1800}, {"Isaac", 1800}, {"Henry", 1700}, {"Finley", 1700},
    {"Mason", 1600}, {"Aaron", 1600}, {"Riley", 1500}, {"Edward", 1500}, {"Owen", 1500}, {"Brandon", 1400},
    {"Jamie", 1400}, {"Reece", 1300}, {"Bradley", 1300}, {"Louis", 1300}, {"Noah", 1200}, {"Logan", 1200},
    {"Toby", 1200}, {"Ben", 1100}, {"Rhys", 1100}, {"Freddie", 1100}, {"Kai", 1000}, {"Jordan", 1000},
    {"Sam", 1000}, {"Alex", 900}, {"Leon", 900}, {"Charles", 900}, {"David", 900}, {"Harrison", 900},
    {"Joe", 850}, {"Evan", 850}, {"Zachary", 800}, {"Elliot", 800}, {"Ellis", 800}, {"Taylor", 750},
    {"Morgan", 750}, {"Christopher", 750}, {"Robert", 700}, {"Declan", 700}, {"Louie", 700}, {"Bailey", 650},
    {"Jenson", 650}, {"Sebastian", 650}, {"Corey", 600}, {"Theo", 600}, {"Andrew", 600}, {"Frankie", 550},
    {"Ashton", 550}, {"Rory", 550}, {"Aidan", 550}, {"Jay", 500}, {"Hayden", 500}, {"Caleb", 500},
    {"Brooklyn", 500}, {"Nathaniel", 450}, {"Dominic", 450}, {"Tom", 450}, {"Lucas", 450}, {"Billy", 450},
    {"Jakob", 300}, {"Aiden", 400}, {"Kayden", 350}, {"Jaden", 300}, {"Mitchell", 300}, {"Sean", 350},
    {"Stanley", 300}, {"Arthur", 300}, {"Albert", 200}, {"Teddy", 200}, {"Reuben", 400}, {"Ronnie", 300},
};

constexpr WeightedName kGirls2008[] = {
    {"Olivia", 5300}, {"Ruby", 5000}, {"Emily", 4900}, {"Grace", 4700}, {"Jessica", 4600}, {"Chloe", 4300},
    {"Sophie", 4200}, {"Lily", 4000}, {"Amelia", 3800}, {"Evie", 3700}, {"Mia", 3500}, {"Ella", 3400},
    {"Charlotte", 3300}, {"Lucy", 3200}, {"Megan", 3100}, {"Ellie", 3000}, {"Isabelle", 2900}, {"Isabella", 2800},
    {"Hannah", 2700}, {"Katie", 2600}, {"Ava", 2600}, {"Holly", 2500}, {"Summer", 2400}, {"Millie", 2400},
    {"Daisy", 2300}, {"Phoebe", 2200}, {"Freya", 2200}, {"Abigail", 2100}, {"Poppy", 2100}, {"Erin", 2100},
    {"Emma", 2000}, {"Molly", 2000}, {"Imogen", 1900}, {"Amy", 1900}, {"Jasmine", 1800}, {"Isla", 1800},
    {"Scarlett", 1800}, {"Leah", 1700}, {"Sophia", 1700}, {"Elizabeth", 1600}, {"Eva", 1600}, {"Brooke", 1600},
    {"Matilda", 1500}, {"Caitlin", 1500}, {"Keira", 1400}, {"Alice", 1400}, {"Lola", 1400}, {"Lauren", 1300},
    {"Maisie", 1300}, {"Paige", 1300}, {"Georgia", 1200}, {"Rebecca", 1200}, {"Anna", 1100}, {"Bethany", 1100},
    {"Niamh", 1100}, {"Madison", 1000}, {"Eleanor", 1000}, {"Rosie", 1000}, {"Amber", 950}, {"Tia", 950},
    {"Zara", 900}, {"Faith", 900}, {"Lexi", 850}, {"Neve", 850}, {"Gracie", 850}, {"Courtney", 800},
    {"Maya", 800}, {"Natasha", 700}, {"Rachel", 700}, {"Sarah", 700}, {"Laura", 650}, {"Alisha", 600},
    {"Demi", 600}, {"Shannon", 600}, {"Victoria", 600}, {"Nicole", 550}, {"Kayla", 550}, {"Skye", 550},
    {"Abbie", 550}, {"Macy", 500}, {"Harriet", 500}, {"Esme", 500}, {"Eliza", 450}, {"Darcey", 450},
    {"Layla", 450}, {"Emilia", 400}, {"Lilly", 400}, {"Francesca", 400}, {"Heidi", 400}, {"Martha", 400},
    {"Tilly", 400}, {"Elsie", 350}, {"Nancy", 300}, {"Violet", 250}, {"Florence", 300}, {"Willow", 200},
    {"Ivy", 150}, {"Kaitlyn", 350}, {"Kacey", 250}, {"Amelie", 400}, {"Leila", 350}, {"Lacey", 450},
    {"Jade", 700}, {"Chelsea", 450}, {"Ellie-Mae", 250}, {"Mollie", 500}, {"Isobel", 400}, {"Isabel", 450},
};

constexpr WeightedName kBoys2015[] = {
    {"Oliver", 6900}, {"Jack", 5300}, {"Harry", 5300}, {"George", 4800}, {"Jacob", 4800}, {"Charlie", 4600},
    {"Noah", 4200}, {"William", 4100}, {"Thomas", 4000}, {"Oscar", 4000}, {"James", 3900}, {"Henry", 3500},
    {"Alfie", 3400}, {"Leo", 3300}, {"Joshua", 3300}, {"Freddie", 3200}, {"Ethan", 3000}, {"Archie", 3000},
    {"Isaac", 2900}, {"Joseph", 2800}, {"Alexander", 2700}, {"Samuel", 2700}, {"Daniel", 2600}, {"Logan", 2500},
    {"Edward", 2400}, {"Lucas", 2400}, {"Max", 2400}, {"Benjamin", 2300}, {"Mason", 2200}, {"Harrison", 2200},
    {"Theo", 2200}, {"Jake", 2100}, {"Sebastian", 2100}, {"Finley", 2000}, {"Arthur", 2000}, {"Adam", 1900},
    {"Dylan", 1900}, {"Riley", 1900}, {"Zachary", 1800}, {"Teddy", 1800}, {"David", 1700}, {"Toby", 1700},
    {"Theodore", 1700}, {"Elijah", 1600}, {"Matthew", 1600}, {"Jenson", 1600}, {"Jayden", 1500}, {"Harvey", 1500},
    {"Reuben", 1500}, {"Harley", 1400}, {"Luca", 1400}, {"Michael", 1400}, {"Hugo", 1400}, {"Lewis", 1300},
    {"Frankie", 1300}, {"Luke", 1300}, {"Stanley", 1300}, {"Tommy", 1300}, {"Jude", 1200}, {"Blake", 1200},
    {"Louie", 1200}, {"Nathan", 1200}, {"Gabriel", 1100}, {"Charles", 1100}, {"Bobby", 1100}, {"Ryan", 1000},
    {"Tyler", 1000}, {"Elliott", 1000}, {"Albert", 1000}, {"Elliot", 950}, {"Rory", 950}, {"Alex", 950},
    {"Frederick", 900}, {"Ollie", 900}, {"Louis", 900}, {"Dexter", 850}, {"Jaxon", 850}, {"Liam", 850},
    {"Jackson", 800}, {"Callum", 800}, {"Ronnie", 800}, {"Leon", 800}, {"Kai", 750}, {"Aaron", 750},
    {"Roman", 750}, {"Austin", 700}, {"Ellis", 700}, {"Jamie", 700}, {"Reggie", 650}, {"Seth", 650},
    {"Carter", 650}, {"Felix", 650}, {"Sonny", 600}, {"Kian", 600}, {"Caleb", 600}, {"Connor", 600},
    {"Jasper", 550}, {"Hunter", 550}, {"Ezra", 500}, {"Albie", 500}, {"Arlo", 400}, {"Rowan", 400},
    {"Otis", 300}, {"Aiden", 450}, {"Kayden", 400}, {"Jaden", 350}, {"Brody", 400}, {"Rocco", 300},
    {"Oakley", 300}, {"Tobias", 450}, {"Hayden", 400}, {"Jax", 250}, {"Cody", 350}, {"Bailey", 500},
};

constexpr WeightedName kGirls2015[] = {
    {"Amelia", 5300}, {"Olivia", 5000}, {"Emily", 4400}, {"Isla", 4300}, {"Ava", 4200}, {"Ella", 3600},
    {"Jessica", 3400}, {"Isabella", 3300}, {"Mia", 3300}, {"Poppy", 3200}, {"Sophie", 3100}, {"Sophia", 3100},
    {"Lily", 3000}, {"Grace", 2900}, {"Evie", 2900}, {"Scarlett", 2800}, {"Ruby", 2700}, {"Chloe", 2600},
    {"Isabelle", 2500}, {"Daisy", 2500}, {"Freya", 2500}, {"Phoebe", 2400}, {"Florence", 2300}, {"Alice", 2200},
    {"Charlotte", 2200}, {"Sienna", 2100}, {"Matilda", 2100}, {"Evelyn", 2000}, {"Eva", 2000}, {"Millie", 2000},
    {"Sofia", 1900}, {"Lucy", 1900}, {"Elsie", 1800}, {"Imogen", 1800}, {"Layla", 1800}, {"Rosie", 1700},
    {"Maya", 1700}, {"Esme", 1600}, {"Elizabeth", 1600}, {"Lola", 1600}, {"Willow", 1500}, {"Ivy", 1500},
    {"Erin", 1500}, {"Holly", 1400}, {"Emilia", 1400}, {"Molly", 1400}, {"Ellie", 1400}, {"Jasmine", 1300},
    {"Eliza", 1300}, {"Lilly", 1300}, {"Abigail", 1200}, {"Georgia", 1200}, {"Maisie", 1200}, {"Eleanor", 1200},
    {"Hannah", 1100}, {"Harriet", 1100}, {"Amber", 1100}, {"Bella", 1100}, {"Thea", 1000}, {"Annabelle", 1000},
    {"Emma", 1000}, {"Amelie", 1000}, {"Harper", 950}, {"Gracie", 950}, {"Rose", 950}, {"Summer", 900},
    {"Martha", 900}, {"Violet", 900}, {"Penelope", 850}, {"Anna", 850}, {"Nancy", 800}, {"Zara", 800},
    {"Maria", 800}, {"Darcie", 750}, {"Megan", 750}, {"Darcey", 700}, {"Lottie", 700}, {"Mila", 700},
    {"Heidi", 650}, {"Lexi", 650}, {"Lacey", 650}, {"Francesca", 600}, {"Robyn", 600}, {"Bethany", 600},
    {"Julia", 550}, {"Sara", 550}, {"Darcy", 550}, {"Zoe", 500}, {"Clara", 500}, {"Victoria", 500},
    {"Beatrice", 500}, {"Hollie", 450}, {"Arabella", 450}, {"Sarah", 450}, {"Maddison", 450}, {"Leah", 450},
    {"Katie", 450}, {"Aria", 400}, {"Isobel", 400}, {"Isabel", 400}, {"Leila", 400}, {"Ayla", 300},
    {"Ellie-Mae", 300}, {"Lily-Rose", 300}, {"Esmae", 250}, {"Kacey", 250}, {"Mollie", 350}, {"Orla", 350},
};

constexpr WeightedName kBoys2023[] = {
    {"Muhammad", 4600}, {"Noah", 4400}, {"Oliver", 3900}, {"George", 3600}, {"Leo", 3500}, {"Arthur", 3400},
    {"Oscar", 3200}, {"Theodore", 3100}, {"Theo", 2900}, {"Henry", 2800}, {"Archie", 2700}, {"Freddie", 2500},
    {"Jack", 2400}, {"Luca", 2300}, {"Alfie", 2300}, {"Finley", 2200}, {"Roman", 2100}, {"Lucas", 2100},
    {"Harry", 2000}, {"Hudson", 2000}, {"Tommy", 1900}, {"Jude", 1900}, {"Charlie", 1900}, {"Thomas", 1800},
    {"Albie", 1800}, {"Jacob", 1800}, {"Arlo", 1700}, {"Louie", 1700}, {"Isaac", 1700}, {"Reggie", 1600},
    {"Teddy", 1600}, {"Joshua", 1600}, {"Ezra", 1500}, {"Ronnie", 1500}, {"Edward", 1500}, {"William", 1500},
    {"Mason", 1400}, {"Elijah", 1400}, {"Hugo", 1400}, {"Max", 1400}, {"Jaxon", 1300}, {"Toby", 1300},
    {"Harrison", 1300}, {"Jesse", 1200}, {"Rory", 1200}, {"Adam", 1200}, {"Sebastian", 1200}, {"Otis", 1100},
    {"Ralph", 1100}, {"Elias", 1000}, {"Frankie", 1000}, {"Grayson", 1000}, {"Alexander", 1000}, {"Michael", 950},
    {"Bobby", 950}, {"Rowan", 900}, {"Jenson", 900}, {"Louis", 900}, {"Samuel", 900}, {"Stanley", 850},
    {"Ethan", 850}, {"Caleb", 850}, {"Albert", 800}, {"Joseph", 800}, {"Benjamin", 800}, {"Jasper", 750},
    {"Vinnie", 750}, {"Kai", 750}, {"Dylan", 700}, {"Austin", 700}, {"Gabriel", 700}, {"Daniel", 650},
    {"Ellis", 600}, {"Felix", 600}, {"Harvey", 600}, {"Nathan", 550}, {"Dexter", 550}, {"Ollie", 550},
    {"Logan", 550}, {"Harley", 500}, {"Carter", 500}, {"Milo", 900}, {"Finn", 700}, {"Ryan", 450},
    {"Jayden", 400}, {"Reuben", 600}, {"Blake", 450}, {"Alfred", 500}, {"Mateo", 700}, {"Jax", 600},
    {"Nathaniel", 400}, {"Ted", 400}, {"Leon", 450}, {"Riley", 550}, {"Brody", 400}, {"Oakley", 600},
    {"Ayden", 250}, {"Aiden", 350}, {"Kayden", 300}, {"Eli", 500}, {"Miles", 450}, {"Rocco", 400},
};

constexpr WeightedName kGirls2023[] = {
    {"Olivia", 3600}, {"Amelia", 3200}, {"Isla", 2800}, {"Lily", 2600}, {"Freya", 2400}, {"Ava", 2400},
    {"Ivy", 2400}, {"Florence", 2300}, {"Willow", 2200}, {"Isabella", 2100}, {"Mia", 2000}, {"Sophia", 2000},
    {"Elsie", 1900}, {"Grace", 1800}, {"Evie", 1800}, {"Poppy", 1800}, {"Sienna", 1700}, {"Luna", 1700},
    {"Evelyn", 1700}, {"Margot", 1600}, {"Hallie", 1500}, {"Daisy", 1500}, {"Phoebe", 1500}, {"Ella", 1400},
    {"Millie", 1400}, {"Aria", 1400}, {"Harper", 1300}, {"Maya", 1300}, {"Violet", 1300}, {"Matilda", 1300},
    {"Rosie", 1200}, {"Mila", 1200}, {"Delilah", 1200}, {"Emilia", 1100}, {"Ada", 1100}, {"Lottie", 1100},
    {"Penelope", 1000}, {"Alice", 1000}, {"Esme", 1000}, {"Thea", 1000}, {"Arabella", 950}, {"Maeve", 950},
    {"Ellie", 900}, {"Sofia", 900}, {"Ayla", 900}, {"Orla", 900}, {"Nova", 850}, {"Bonnie", 850},
    {"Lyla", 850}, {"Iris", 800}, {"Edith", 800}, {"Eliza", 800}, {"Hazel", 750}, {"Zara", 750},
    {"Nancy", 700}, {"Aurora", 700}, {"Layla", 700}, {"Lola", 650}, {"Eden", 650}, {"Emily", 650},
    {"Ruby", 600}, {"Charlotte", 600}, {"Beatrice", 550}, {"Myla", 550}, {"Mabel", 550}, {"Sophie", 500},
    {"Jessica", 450}, {"Hannah", 400}, {"Rose", 600}, {"Eva", 600}, {"Lyra", 500}, {"Clara", 500},
    {"Robyn", 400}, {"Gracie", 500}, {"Ophelia", 450}, {"Darcie", 400}, {"Heidi", 450}, {"Martha", 450},
    {"Amelie", 500}, {"Maisie", 450}, {"Isabelle", 500}, {"Eleanor", 500}, {"Imogen", 400}, {"Elizabeth", 400},
    {"Summer", 400}, {"Harriet", 350}, {"Molly", 400}, {"Lilly", 350}, {"Lucy", 400}, {"Scarlett", 600},
    {"Chloe", 350}, {"Annie", 450}, {"Mollie", 300}, {"Elodie", 400}, {"Maryam", 500}, {"Aisha", 350},
    {"Isabel", 350}, {"Isobel", 300}, {"Leila", 350}, {"Hallie-Mae", 200}, {"Lilah", 350}, {"Lila", 400},
};

// ---- Communities -------------------------------------------------------------------------------
// Lists run most frequent first; weights are relative (the generator adds a Zipf decline).

constexpr WeightedName kCaribbeanBoys[] = {
    {"Tyrese", 30}, {"Jayden", 40}, {"Josiah", 35}, {"Isaiah", 35}, {"Elijah", 40}, {"Malachi", 30}, {"Kemar", 10},
    {"Jaden", 25}, {"Kaiden", 15}, {"Marcus", 20}, {"Andre", 15}, {"Tyrell", 12}, {"Kyrie", 15}, {"Zion", 20},
    {"Nathaniel", 20}, {"Joshua", 30}, {"Daniel", 25}, {"Michael", 20}, {"Reuben", 15}, {"Theo", 20},
};
constexpr WeightedName kCaribbeanGirls[] = {
    {"Aaliyah", 35}, {"Shanice", 10}, {"Tianna", 15}, {"Kiara", 20}, {"Amara", 25}, {"Nia", 25}, {"Imani", 20},
    {"Jada", 15}, {"Amelia", 25}, {"Destiny", 15}, {"Tiana", 20}, {"Aaliyah-Rose", 5}, {"Nevaeh", 20}, {"Zuri", 15},
    {"Kayla", 15}, {"Serenity", 15}, {"Maya", 20}, {"Olivia", 25}, {"Sienna", 15}, {"Renee", 10},
};
constexpr WeightedName kCaribbeanSurnames[] = {
    {"Campbell", 30}, {"Brown", 30}, {"Williams", 28}, {"Thompson", 25}, {"Francis", 20}, {"Grant", 18},
    {"Johnson", 18}, {"Clarke", 16}, {"Robinson", 16}, {"Henry", 15}, {"Lewis", 14}, {"Reid", 14}, {"Bailey", 12},
    {"Morgan", 12}, {"Walker", 12}, {"Gordon", 12}, {"Smith", 20}, {"Edwards", 10}, {"Samuels", 8}, {"McKenzie", 10},
    {"Bennett", 10}, {"Powell", 10}, {"Daley", 8}, {"Forbes", 8}, {"Anderson", 10}, {"Richards", 8}, {"Blake", 8},
    {"Hamilton", 8}, {"Wright", 10}, {"Gayle", 6}, {"McFarlane", 6}, {"Stewart", 8}, {"Lindo", 5}, {"Dixon", 6},
};

constexpr WeightedName kPakistaniBoys[] = {
    {"Ibrahim", 40}, {"Yusuf", 35}, {"Ali", 35}, {"Zayn", 30}, {"Ayaan", 30}, {"Hamza", 30}, {"Musa", 28},
    {"Adam", 28}, {"Omar", 25}, {"Abdullah", 25}, {"Zakariya", 20}, {"Ismail", 20}, {"Haroon", 15}, {"Bilal", 18},
    {"Hasan", 18}, {"Husain", 14}, {"Haris", 15}, {"Rayyan", 18}, {"Imran", 10}, {"Usman", 15}, {"Umar", 18},
    {"Idris", 12}, {"Zain", 20}, {"Aryan", 12}, {"Ahmad", 12}, {"Saad", 10}, {"Talha", 10}, {"Hadi", 10},
    {"Eesa", 12}, {"Haider", 10}, {"Mustafa", 12}, {"Arham", 12}, {"Ayan", 10}, {"Zakaria", 10}, {"Rehan", 8},
    {"Daniyal", 10}, {"Shayan", 8}, {"Zaid", 12}, {"Yahya", 12}, {"Harun", 8}, {"Sulaiman", 10}, {"Danyal", 6},
    {"Mikail", 10}, {"Raheem", 6}, {"Faizan", 8}, {"Zeeshan", 6}, {"Hussain", 10}, {"Ahmed", 8}, {"Abdul", 8},
};
constexpr WeightedName kPakistaniGirls[] = {
    {"Maryam", 40}, {"Aisha", 35}, {"Fatima", 35}, {"Zainab", 30}, {"Hafsa", 25}, {"Khadija", 25}, {"Inaya", 25},
    {"Hawa", 20}, {"Aaliyah", 20}, {"Zara", 22}, {"Safa", 12}, {"Amna", 12}, {"Mariam", 12}, {"Eshal", 15},
    {"Haniya", 12}, {"Alisha", 12}, {"Anaya", 15}, {"Hana", 15}, {"Noor", 18}, {"Iqra", 12}, {"Sana", 10},
    {"Laiba", 10}, {"Eman", 12}, {"Areeba", 10}, {"Hiba", 10}, {"Ayesha", 15}, {"Sumaya", 8}, {"Mahnoor", 10},
    {"Zoya", 12}, {"Amira", 12}, {"Ayat", 8}, {"Minahil", 8}, {"Manahil", 8}, {"Ruqayyah", 8}, {"Samiya", 6},
    {"Anaya", 8}, {"Aleena", 10}, {"Alina", 8}, {"Humaira", 6}, {"Sidra", 6}, {"Asma", 6}, {"Khadijah", 8},
};
constexpr WeightedName kPakistaniSurnames[] = {
    {"Khan", 120}, {"Hussain", 90}, {"Ali", 80}, {"Ahmed", 70}, {"Mahmood", 40}, {"Iqbal", 40}, {"Akhtar", 30},
    {"Shah", 30}, {"Butt", 30}, {"Rehman", 30}, {"Malik", 30}, {"Raza", 20}, {"Aslam", 20}, {"Javed", 20},
    {"Rashid", 20}, {"Mohammed", 20}, {"Hanif", 18}, {"Anwar", 18}, {"Yousaf", 18}, {"Nawaz", 18}, {"Riaz", 16},
    {"Zaman", 12}, {"Qureshi", 16}, {"Chaudhry", 16}, {"Arshad", 12}, {"Abbas", 16}, {"Sadiq", 10}, {"Younis", 10},
    {"Saleem", 10}, {"Asghar", 10}, {"Bashir", 10}, {"Latif", 10}, {"Hameed", 10}, {"Ashraf", 10}, {"Rafiq", 10},
    {"Siddique", 10}, {"Mirza", 10}, {"Khaliq", 6}, {"Sabir", 6}, {"Zafar", 8}, {"Ilyas", 8}, {"Nazir", 8},
    {"Sharif", 8}, {"Tariq", 8}, {"Aziz", 8}, {"Rauf", 6}, {"Mehmood", 10}, {"Parveen", 4}, {"Hassan", 10},
};
constexpr std::string_view kMuslimDevotional[] = {"Muhammad", "Mohammed", "Mohammad"};
constexpr std::string_view kPakistaniGirlsSurnames[] = {"Bibi", "Begum", "Akhtar", "Kausar"};

constexpr WeightedName kBangladeshiBoys[] = {
    {"Ibrahim", 30}, {"Yusuf", 28}, {"Rayyan", 25}, {"Zayan", 22}, {"Ayaan", 25}, {"Arham", 15}, {"Ismail", 18},
    {"Safwan", 12}, {"Nabil", 12}, {"Rahim", 10}, {"Tahmid", 12}, {"Sami", 12}, {"Imran", 10}, {"Adnan", 12},
    {"Zakir", 8}, {"Rafi", 10}, {"Tanvir", 8}, {"Ahnaf", 10}, {"Mahir", 12}, {"Nihal", 8}, {"Sayeed", 8},
    {"Raiyan", 10}, {"Zakaria", 10}, {"Ariyan", 10}, {"Samir", 10}, {"Yahya", 12}, {"Musa", 15}, {"Eesa", 10},
    {"Adam", 18}, {"Umar", 12}, {"Zain", 12}, {"Hamza", 12}, {"Luqman", 8}, {"Saif", 8}, {"Shafi", 6},
};
constexpr WeightedName kBangladeshiGirls[] = {
    {"Maryam", 30}, {"Aisha", 28}, {"Fatima", 28}, {"Zainab", 25}, {"Ayesha", 20}, {"Nusrat", 12}, {"Sumaiya", 15},
    {"Tasnim", 15}, {"Nafisa", 12}, {"Samira", 12}, {"Raisa", 12}, {"Tahmina", 8}, {"Sadia", 10}, {"Habiba", 10},
    {"Jannat", 12}, {"Anisa", 10}, {"Ruksana", 6}, {"Afia", 8}, {"Inaya", 18}, {"Lamia", 8}, {"Safiya", 12},
    {"Humaira", 8}, {"Ruqayyah", 10}, {"Khadija", 15}, {"Hafsa", 15}, {"Anaya", 12}, {"Mariyam", 10}, {"Safa", 8},
    {"Sumaya", 10}, {"Rumaysa", 10}, {"Nuha", 8}, {"Aliya", 10}, {"Afsana", 6}, {"Shabnam", 4}, {"Sabrina", 6},
};
constexpr WeightedName kBangladeshiSurnames[] = {
    {"Miah", 60}, {"Uddin", 60}, {"Rahman", 60}, {"Islam", 50}, {"Ahmed", 50}, {"Hussain", 40}, {"Ali", 40},
    {"Hoque", 25}, {"Choudhury", 25}, {"Hassan", 20}, {"Alam", 25}, {"Khan", 25}, {"Ullah", 25}, {"Hossain", 20},
    {"Karim", 15}, {"Amin", 15}, {"Chowdhury", 20}, {"Rahim", 12}, {"Haque", 15}, {"Miah", 10}, {"Mahmud", 10},
    {"Bari", 8}, {"Kabir", 10}, {"Sultan", 8}, {"Malik", 8}, {"Talukdar", 6}, {"Sarkar", 6}, {"Mia", 8},
};
constexpr std::string_view kBangladeshiDevotional[] = {"Muhammad", "Mohammed", "Abdul", "Md"};
constexpr std::string_view kBangladeshiGirlsSurnames[] = {"Begum", "Khatun", "Akter", "Sultana", "Khanom"};

constexpr WeightedName kGujaratiBoys[] = {
    {"Aarav", 30}, {"Arjun", 30}, {"Krish", 28}, {"Rohan", 22}, {"Dev", 20}, {"Vihaan", 20}, {"Aryan", 20},
    {"Rishi", 18}, {"Jay", 15}, {"Yash", 15}, {"Neel", 15}, {"Ayush", 12}, {"Kiran", 10}, {"Harsh", 10},
    {"Shiv", 12}, {"Om", 10}, {"Raj", 10}, {"Jai", 12}, {"Veer", 12}, {"Ishaan", 18}, {"Aadi", 10}, {"Parth", 10},
    {"Dhruv", 15}, {"Reyansh", 12}, {"Kian", 10}, {"Aryan", 8}, {"Rehan", 6}, {"Nirav", 6}, {"Tej", 6}, {"Deven", 6},
};
constexpr WeightedName kGujaratiGirls[] = {
    {"Priya", 25}, {"Anaya", 25}, {"Diya", 22}, {"Riya", 22}, {"Isha", 20}, {"Anika", 18}, {"Kavya", 15},
    {"Saanvi", 15}, {"Aanya", 15}, {"Mira", 15}, {"Pooja", 10}, {"Jiya", 12}, {"Tara", 12}, {"Meera", 12},
    {"Shreya", 12}, {"Nisha", 10}, {"Esha", 12}, {"Siya", 12}, {"Krisha", 10}, {"Khushi", 10}, {"Avni", 8},
    {"Myra", 12}, {"Aisha", 8}, {"Janvi", 8}, {"Rhea", 10}, {"Ria", 10}, {"Aarya", 10}, {"Navya", 8}, {"Dhruvi", 6},
};
constexpr WeightedName kGujaratiSurnames[] = {
    {"Patel", 300}, {"Shah", 60}, {"Mistry", 40}, {"Parmar", 30}, {"Chauhan", 30}, {"Solanki", 30}, {"Lad", 20},
    {"Desai", 20}, {"Joshi", 20}, {"Mehta", 20}, {"Thakrar", 10}, {"Pandya", 20}, {"Modi", 10}, {"Rana", 20},
    {"Makwana", 20}, {"Gohil", 10}, {"Vaghela", 10}, {"Tailor", 20}, {"Chavda", 10}, {"Bhatt", 10}, {"Amin", 10},
    {"Raval", 10}, {"Vyas", 10}, {"Pindoria", 8}, {"Kotecha", 8}, {"Ladwa", 6}, {"Vekaria", 6}, {"Varsani", 6},
    {"Kerai", 6}, {"Hirani", 8}, {"Mepani", 4}, {"Sodha", 6}, {"Gajjar", 6}, {"Panchal", 8},
};

constexpr WeightedName kPunjabiBoys[] = {
    {"Arjun", 25}, {"Jaskaran", 15}, {"Harvir", 12}, {"Arjan", 15}, {"Manveer", 10}, {"Armaan", 15}, {"Ekam", 12},
    {"Fateh", 12}, {"Gurveer", 10}, {"Jaivir", 8}, {"Tegbir", 6}, {"Sahib", 8}, {"Karanveer", 8}, {"Kabir", 15},
    {"Harjot", 8}, {"Rajveer", 10}, {"Jasraj", 6}, {"Ajay", 6}, {"Amar", 8}, {"Dilraj", 6}, {"Harman", 8},
    {"Jaiden", 6}, {"Ishaan", 10}, {"Veer", 10}, {"Reyansh", 6}, {"Gurnoor", 6}, {"Sukhman", 6}, {"Taran", 6},
};
constexpr WeightedName kPunjabiGirls[] = {
    {"Simran", 20}, {"Harleen", 15}, {"Jasleen", 15}, {"Navneet", 8}, {"Gurleen", 12}, {"Amrit", 10},
    {"Manpreet", 6}, {"Harnoor", 12}, {"Jasmine", 10}, {"Prabhleen", 10}, {"Kirat", 10}, {"Sehaj", 10},
    {"Amaira", 12}, {"Noor", 10}, {"Ishleen", 8}, {"Japneet", 8}, {"Anaya", 10}, {"Kiran", 8}, {"Aasees", 6},
    {"Mehar", 8}, {"Sukhleen", 6}, {"Simar", 8}, {"Tanvi", 6}, {"Rhea", 6}, {"Ishani", 6}, {"Ravleen", 6},
};
constexpr WeightedName kPunjabiSurnames[] = {
    {"Gill", 30}, {"Sandhu", 25}, {"Sidhu", 20}, {"Dhillon", 20}, {"Bains", 15}, {"Johal", 15}, {"Sohal", 12},
    {"Grewal", 15}, {"Sangha", 12}, {"Atwal", 10}, {"Bhamra", 10}, {"Dhaliwal", 15}, {"Kang", 12}, {"Virdee", 8},
    {"Mann", 12}, {"Rai", 10}, {"Sahota", 10}, {"Basra", 8}, {"Kalsi", 8}, {"Bassi", 8}, {"Chahal", 8},
    {"Randhawa", 10}, {"Hayer", 8}, {"Matharu", 6}, {"Nijjar", 6}, {"Purewal", 6}, {"Samra", 8}, {"Thandi", 6},
};
constexpr std::string_view kPunjabiGirlsSurnames[] = {"Kaur"};
constexpr std::string_view kPunjabiBoysSurnames[] = {"Singh"};

constexpr WeightedName kNigerianBoys[] = {
    {"Daniel", 30}, {"David", 28}, {"Samuel", 25}, {"Joshua", 25}, {"Emmanuel", 22}, {"Jayden", 15},
    {"Joseph", 15}, {"Michael", 15}, {"Elijah", 18}, {"Isaac", 15}, {"Caleb", 15}, {"Jeremiah", 12},
    {"Nathan", 12}, {"Ethan", 12}, {"Tobi", 10}, {"Timothy", 10}, {"Victor", 8}, {"Favour", 6}, {"Marvellous", 6},
    {"Jesse", 8}, {"Ezekiel", 8}, {"Josiah", 12}, {"Gideon", 8}, {"Israel", 8}, {"Micah", 10}, {"Adrian", 6},
};
constexpr WeightedName kNigerianGirls[] = {
    {"Precious", 20}, {"Blessing", 15}, {"Favour", 18}, {"Esther", 20}, {"Abigail", 20}, {"Grace", 18},
    {"Deborah", 15}, {"Testimony", 6}, {"Victoria", 12}, {"Zion", 8}, {"Hephzibah", 6}, {"Miracle", 8},
    {"Faith", 12}, {"Goodness", 6}, {"Tiwa", 6}, {"Anointing", 4}, {"Praise", 6}, {"Jemima", 8}, {"Eunice", 6},
    {"Joy", 10}, {"Mercy", 8}, {"Divine", 6}, {"Destiny", 10}, {"Chloe", 8}, {"Amara", 12}, {"Nadia", 6},
};
constexpr WeightedName kYorubaIgboBoys[] = {
    {"Oluwaseun", 10}, {"Ayomide", 12}, {"Chidera", 10}, {"Chinedu", 8}, {"Ifeanyi", 8}, {"Olamide", 10},
    {"Tomiwa", 8}, {"Damilola", 8}, {"Toluwani", 8}, {"Obinna", 8}, {"Kelechi", 6}, {"Oluwatobi", 10},
    {"Ayodele", 6}, {"Temidayo", 6}, {"Chukwuemeka", 6}, {"Somto", 6}, {"Oluwadamilare", 4}, {"Ebuka", 6},
    {"Tobiloba", 8}, {"Oreoluwa", 6}, {"Inioluwa", 8}, {"Fiyinfoluwa", 4}, {"Adebayo", 6}, {"Babajide", 4},
};
constexpr WeightedName kYorubaIgboGirls[] = {
    {"Adaeze", 10}, {"Chiamaka", 10}, {"Ifeoma", 8}, {"Oluwatoyin", 6}, {"Temitope", 10}, {"Ayomide", 10},
    {"Tolu", 8}, {"Morenike", 6}, {"Adesuwa", 6}, {"Chioma", 10}, {"Kemi", 6}, {"Anjola", 8}, {"Eniola", 8},
    {"Jesutofunmi", 6}, {"Oluwafunmilayo", 4}, {"Ifeoluwa", 8}, {"Oreoluwa", 8}, {"Chidinma", 8}, {"Adanna", 8},
    {"Nkechi", 4}, {"Mosunmola", 4}, {"Ireoluwa", 6}, {"Toluwalase", 6}, {"Ebunoluwa", 4},
};
constexpr WeightedName kNigerianSurnames[] = {
    {"Okafor", 20}, {"Okonkwo", 15}, {"Adeyemi", 18}, {"Adebayo", 15}, {"Ogunleye", 10}, {"Eze", 15}, {"Nwosu", 12},
    {"Obi", 12}, {"Bello", 12}, {"Ogunbiyi", 8}, {"Oladipo", 8}, {"Adeleke", 10}, {"Afolabi", 10}, {"Akinola", 10},
    {"Babatunde", 8}, {"Ojo", 10}, {"Olawale", 8}, {"Onyeka", 8}, {"Uche", 6}, {"Okoro", 10}, {"Nwachukwu", 8},
    {"Adewale", 8}, {"Oyelaran", 4}, {"Oyewole", 6}, {"Ibrahim", 8}, {"Abubakar", 6}, {"Okoye", 10}, {"Okeke", 10},
    {"Ezeh", 6}, {"Adeniyi", 8}, {"Ogundipe", 6}, {"Olaniyan", 6}, {"Adeoye", 8}, {"Akande", 8}, {"Oyedele", 6},
};

constexpr WeightedName kGhanaianBoys[] = {
    {"Kwame", 15}, {"Kofi", 15}, {"Kwabena", 10}, {"Kwaku", 10}, {"Yaw", 10}, {"Kojo", 10}, {"Kwasi", 10},
    {"Nana", 10}, {"Daniel", 15}, {"Emmanuel", 15}, {"Samuel", 12}, {"Joshua", 12}, {"Jayden", 10},
    {"Caleb", 10}, {"Elijah", 10}, {"Jeremiah", 8}, {"Nathaniel", 8}, {"Jesse", 8}, {"Ethan", 8}, {"Prince", 8},
};
constexpr WeightedName kGhanaianGirls[] = {
    {"Ama", 12}, {"Akosua", 10}, {"Abena", 10}, {"Adwoa", 10}, {"Akua", 8}, {"Yaa", 8}, {"Afua", 8}, {"Esi", 6},
    {"Nana", 10}, {"Princess", 10}, {"Bernice", 6}, {"Gifty", 6}, {"Abigail", 12}, {"Grace", 10}, {"Esther", 10},
    {"Priscilla", 8}, {"Naomi", 10}, {"Nhyira", 6}, {"Adjoa", 6}, {"Maame", 6},
};
constexpr WeightedName kGhanaianSurnames[] = {
    {"Mensah", 25}, {"Osei", 20}, {"Owusu", 20}, {"Boateng", 20}, {"Asante", 15}, {"Appiah", 15}, {"Agyeman", 12},
    {"Ofori", 12}, {"Amoah", 12}, {"Darko", 10}, {"Addo", 10}, {"Quaye", 8}, {"Tetteh", 10}, {"Ansah", 10},
    {"Acheampong", 10}, {"Antwi", 10}, {"Bonsu", 8}, {"Annan", 8}, {"Frimpong", 10}, {"Kusi", 6}, {"Sarpong", 8},
    {"Opoku", 10}, {"Adjei", 10}, {"Yeboah", 10}, {"Asamoah", 8}, {"Amponsah", 8}, {"Oduro", 6}, {"Bediako", 6},
};

constexpr WeightedName kSomaliBoys[] = {
    {"Mohamed", 40}, {"Abdi", 20}, {"Abdullahi", 20}, {"Ahmed", 20}, {"Hassan", 18}, {"Ali", 18}, {"Omar", 18},
    {"Yusuf", 18}, {"Ibrahim", 18}, {"Abdirahman", 15}, {"Abdirahim", 10}, {"Mustafa", 10}, {"Ayub", 10},
    {"Khalid", 10}, {"Liban", 8}, {"Hamza", 12}, {"Bilal", 10}, {"Idris", 8}, {"Zakariye", 8}, {"Sakariye", 6},
    {"Ismail", 10}, {"Mahad", 8}, {"Abdiaziz", 8}, {"Abdikarim", 8}, {"Yasin", 8}, {"Osman", 8}, {"Musa", 8},
};
constexpr WeightedName kSomaliGirls[] = {
    {"Hodan", 10}, {"Ayan", 12}, {"Amina", 18}, {"Fadumo", 10}, {"Faduma", 8}, {"Hibo", 8}, {"Ifrah", 10},
    {"Sahra", 10}, {"Nimo", 8}, {"Ikram", 10}, {"Yasmin", 10}, {"Ubah", 6}, {"Khadra", 8}, {"Hamdi", 8},
    {"Sagal", 8}, {"Hafsa", 10}, {"Nasteho", 6}, {"Muna", 8}, {"Ilhan", 8}, {"Deeqa", 8}, {"Sumaya", 8},
    {"Fartun", 6}, {"Maryan", 8}, {"Hanan", 8}, {"Naima", 8}, {"Asha", 8}, {"Salma", 8}, {"Zamzam", 6},
};
constexpr WeightedName kSomaliSurnames[] = {
    {"Mohamed", 40}, {"Ahmed", 30}, {"Abdi", 25}, {"Hassan", 25}, {"Ali", 25}, {"Omar", 18}, {"Yusuf", 15},
    {"Farah", 15}, {"Hussein", 12}, {"Warsame", 10}, {"Jama", 12}, {"Mohamud", 12}, {"Osman", 12}, {"Ibrahim", 12},
    {"Abdullahi", 12}, {"Nur", 10}, {"Egal", 6}, {"Aden", 10}, {"Ismail", 10}, {"Abdulle", 8}, {"Hersi", 6},
    {"Dahir", 8}, {"Elmi", 8}, {"Gure", 4}, {"Said", 8}, {"Adan", 6}, {"Guled", 6}, {"Musse", 6}, {"Isse", 6},
};

constexpr WeightedName kPolishBoys[] = {
    {"Jakub", 30}, {"Szymon", 22}, {"Filip", 22}, {"Kacper", 20}, {"Antoni", 18}, {"Jan", 18}, {"Aleksander", 18},
    {"Franciszek", 12}, {"Mikołaj", 15}, {"Wojciech", 10}, {"Adam", 12}, {"Michał", 12}, {"Igor", 12},
    {"Oliwer", 12}, {"Nikodem", 10}, {"Stanisław", 8}, {"Wiktor", 12}, {"Tymon", 8}, {"Maksymilian", 10},
    {"Bartosz", 8}, {"Dawid", 10}, {"Mateusz", 10}, {"Kamil", 8}, {"Oskar", 12}, {"Piotr", 8}, {"Tomasz", 6},
};
constexpr WeightedName kPolishGirls[] = {
    {"Zuzanna", 25}, {"Julia", 25}, {"Maja", 22}, {"Zofia", 20}, {"Hanna", 20}, {"Lena", 20}, {"Alicja", 15},
    {"Maria", 15}, {"Amelia", 15}, {"Oliwia", 15}, {"Natalia", 12}, {"Wiktoria", 12}, {"Emilia", 12}, {"Nikola", 10},
    {"Pola", 8}, {"Laura", 10}, {"Gabriela", 10}, {"Aleksandra", 10}, {"Weronika", 8}, {"Martyna", 8}, {"Kinga", 6},
    {"Antonina", 8}, {"Łucja", 6}, {"Michalina", 6}, {"Nadia", 8}, {"Liliana", 6},
};
// Masculine forms; the generator derives the feminine (-ski → -ska, -cki → -cka, -dzki → -dzka).
constexpr WeightedName kPolishSurnames[] = {
    {"Nowak", 30}, {"Kowalski", 20}, {"Wiśniewski", 15}, {"Wójcik", 15}, {"Kowalczyk", 15}, {"Kamiński", 12},
    {"Lewandowski", 12}, {"Zieliński", 12}, {"Szymański", 10}, {"Woźniak", 10}, {"Dąbrowski", 10}, {"Kozłowski", 8},
    {"Jankowski", 8}, {"Mazur", 10}, {"Kwiatkowski", 8}, {"Krawczyk", 8}, {"Piotrowski", 8}, {"Grabowski", 8},
    {"Nowakowski", 6}, {"Pawłowski", 6}, {"Michalski", 6}, {"Król", 6}, {"Wieczorek", 6}, {"Jabłoński", 6},
    {"Wróbel", 6}, {"Majewski", 6}, {"Olszewski", 6}, {"Jaworski", 6}, {"Malinowski", 6}, {"Górski", 5},
    {"Rutkowski", 5}, {"Sikora", 5}, {"Baran", 5}, {"Duda", 5}, {"Szewczyk", 5}, {"Ostrowski", 5},
};

constexpr WeightedName kRomanianBoys[] = {
    {"Andrei", 20}, {"Alexandru", 18}, {"David", 18}, {"Luca", 15}, {"Matei", 12}, {"Ștefan", 12}, {"Ionuț", 8},
    {"Gabriel", 12}, {"Mihai", 10}, {"Darius", 12}, {"Rareș", 8}, {"Sebastian", 10}, {"Eric", 8}, {"Denis", 8},
    {"Albert", 6}, {"Tudor", 8}, {"Cristian", 8}, {"Vlad", 8}, {"Paul", 6}, {"Robert", 6},
};
constexpr WeightedName kRomanianGirls[] = {
    {"Maria", 20}, {"Ioana", 15}, {"Elena", 15}, {"Andreea", 12}, {"Sofia", 15}, {"Alexia", 12}, {"Daria", 12},
    {"Bianca", 10}, {"Antonia", 10}, {"Ana", 10}, {"Irina", 8}, {"Ilinca", 6}, {"Raluca", 6}, {"Delia", 6},
    {"Amelia", 10}, {"Eva", 8}, {"Natalia", 8}, {"Karina", 6}, {"Teodora", 8}, {"Larisa", 6},
};
constexpr WeightedName kRomanianSurnames[] = {
    {"Popescu", 20}, {"Ionescu", 15}, {"Popa", 15}, {"Pop", 15}, {"Radu", 12}, {"Dumitru", 12}, {"Stan", 10},
    {"Stoica", 10}, {"Gheorghe", 10}, {"Matei", 8}, {"Ciobanu", 8}, {"Rusu", 8}, {"Munteanu", 8}, {"Lazăr", 6},
    {"Constantin", 10}, {"Florea", 8}, {"Marin", 8}, {"Tudor", 6}, {"Moldovan", 6}, {"Toma", 6}, {"Ungureanu", 6},
    {"Oprea", 6}, {"Sârbu", 5}, {"Mocanu", 5}, {"Dinu", 5}, {"Nistor", 5}, {"Barbu", 5}, {"Iordache", 4},
};

constexpr WeightedName kChineseBoys[] = {
    {"Ryan", 15}, {"Jason", 10}, {"Ethan", 15}, {"Lucas", 12}, {"Kevin", 8}, {"Jayden", 10}, {"Ivan", 6},
    {"Alvin", 6}, {"Justin", 8}, {"Max", 6}, {"Wei", 10}, {"Hao", 8}, {"Yi", 6}, {"Jun", 8}, {"Ming", 6},
    {"Zihan", 6}, {"Yuxuan", 6}, {"Haoran", 6}, {"Zimo", 4}, {"Eason", 8}, {"Aaron", 8}, {"Nathan", 8},
};
constexpr WeightedName kChineseGirls[] = {
    {"Chloe", 12}, {"Emily", 12}, {"Grace", 10}, {"Angela", 6}, {"Jessica", 8}, {"Hannah", 8}, {"Alice", 10},
    {"Cindy", 4}, {"Vivian", 6}, {"Joyce", 4}, {"Xinyi", 8}, {"Yutong", 6}, {"Zixuan", 6}, {"Ruoxi", 4},
    {"Yiran", 4}, {"Mei", 8}, {"Ling", 6}, {"Sophia", 10}, {"Evelyn", 8}, {"Zoe", 8}, {"Isabella", 8},
};
constexpr WeightedName kChineseSurnames[] = {
    {"Chen", 25}, {"Wang", 25}, {"Li", 25}, {"Zhang", 20}, {"Liu", 20}, {"Wong", 20}, {"Lee", 15}, {"Chan", 18},
    {"Cheung", 12}, {"Lin", 12}, {"Huang", 12}, {"Zhao", 10}, {"Wu", 10}, {"Yang", 10}, {"Ng", 10}, {"Lau", 10},
    {"Ho", 10}, {"Tang", 8}, {"Yip", 6}, {"Lam", 8}, {"Xu", 8}, {"Sun", 6}, {"Zhou", 8}, {"Ma", 6}, {"Zhu", 6},
};

// British surnames: per 10,000 people in England (rounded); the rest are the long tail.
constexpr WeightedName kBritishSurnames[] = {
    {"Smith", 95}, {"Jones", 75}, {"Williams", 50}, {"Taylor", 45}, {"Brown", 40}, {"Davies", 38}, {"Evans", 30},
    {"Wilson", 30}, {"Thomas", 29}, {"Johnson", 28}, {"Roberts", 28}, {"Robinson", 25}, {"Thompson", 25},
    {"Wright", 24}, {"Walker", 24}, {"White", 23}, {"Edwards", 22}, {"Hughes", 22}, {"Green", 21}, {"Hall", 21},
    {"Lewis", 20}, {"Harris", 20}, {"Clarke", 20}, {"Jackson", 19}, {"Wood", 19}, {"Turner", 18}, {"Martin", 18},
    {"Cooper", 18}, {"Hill", 18}, {"Ward", 17}, {"Morris", 17}, {"Moore", 17}, {"Clark", 16}, {"Lee", 16},
    {"King", 16}, {"Baker", 16}, {"Harrison", 15}, {"Morgan", 15}, {"Allen", 15}, {"James", 15}, {"Scott", 14},
    {"Phillips", 14}, {"Watson", 14}, {"Davis", 14}, {"Parker", 14}, {"Price", 13}, {"Bennett", 13}, {"Young", 13},
    {"Griffiths", 13}, {"Mitchell", 13}, {"Kelly", 13}, {"Cook", 12}, {"Carter", 12}, {"Richardson", 12},
    {"Bailey", 12}, {"Collins", 12}, {"Bell", 12}, {"Shaw", 12}, {"Murphy", 12}, {"Miller", 11}, {"Cox", 11},
    {"Richards", 11}, {"Marshall", 11}, {"Anderson", 11}, {"Simpson", 11}, {"Ellis", 11}, {"Adams", 11},
    {"Wilkinson", 10}, {"Foster", 10}, {"Chapman", 10}, {"Powell", 10}, {"Webb", 10}, {"Rogers", 10}, {"Gray", 10},
    {"Mason", 10}, {"Hunt", 9}, {"Campbell", 9}, {"Matthews", 9}, {"Owen", 9}, {"Palmer", 9}, {"Holmes", 9},
    {"Mills", 9}, {"Barnes", 9}, {"Knight", 9}, {"Lloyd", 9}, {"Butler", 9}, {"Russell", 9}, {"Barker", 9},
    {"Fisher", 8}, {"Stevens", 8}, {"Jenkins", 8}, {"Murray", 8}, {"Dixon", 8}, {"Harvey", 8}, {"Graham", 8},
    {"Pearson", 8}, {"Ahmed", 4}, {"Fletcher", 8}, {"Walsh", 8}, {"Kaur", 3}, {"Gibson", 7}, {"Howard", 7},
    {"Andrews", 7}, {"Stewart", 7}, {"Elliott", 7}, {"Reynolds", 7}, {"Saunders", 7}, {"Payne", 7}, {"Fox", 7},
    {"Ford", 7}, {"Pearce", 7}, {"Day", 7}, {"Brooks", 7}, {"West", 7}, {"Lawrence", 7}, {"Cole", 7},
    {"Atkinson", 7}, {"Bradley", 7}, {"Spencer", 7}, {"Gill", 6}, {"Dawson", 6}, {"Ball", 6}, {"Burton", 6},
    {"O'Brien", 6}, {"Watts", 6}, {"Rose", 6}, {"Booth", 6}, {"Perry", 6}, {"Ryan", 6}, {"Grant", 6},
    {"Wells", 6}, {"Armstrong", 6}, {"Francis", 6}, {"Rees", 6}, {"Hayes", 6}, {"Hart", 6}, {"Hudson", 6},
    {"Newman", 6}, {"Barrett", 6}, {"Webster", 6}, {"Hunter", 6}, {"Gregory", 6}, {"Carr", 6}, {"Lowe", 6},
    {"Page", 6}, {"Marsh", 6}, {"Riley", 6}, {"Dunn", 6}, {"Woods", 6}, {"Parsons", 6}, {"Berry", 6},
    {"Stone", 6}, {"Reid", 6}, {"Holland", 5}, {"Hawkins", 5}, {"Harding", 5}, {"Porter", 5}, {"Robertson", 5},
    {"Newton", 5}, {"Oliver", 5}, {"Reed", 5}, {"Kennedy", 5}, {"Williamson", 5}, {"Bird", 5}, {"Gardner", 5},
    {"Shah", 3}, {"Dean", 5}, {"Lane", 5}, {"Cooke", 5}, {"Bates", 5}, {"Henderson", 5}, {"Parry", 5},
    {"Burgess", 5}, {"Bishop", 5}, {"Walton", 5}, {"Burns", 5}, {"Nicholson", 5}, {"Shepherd", 5}, {"Ross", 5},
    {"Cross", 5}, {"Long", 5}, {"Freeman", 5}, {"Warren", 5}, {"Nicholls", 5}, {"Hamilton", 5}, {"Byrne", 5},
    {"Sutton", 5}, {"McDonald", 5}, {"Yates", 5}, {"Hodgson", 5}, {"Robson", 5}, {"Curtis", 5}, {"Hopkins", 5},
    {"O'Connor", 5}, {"Harper", 5}, {"Coleman", 5}, {"Watkins", 5}, {"Moss", 5}, {"McCarthy", 5}, {"Chambers", 5},
    {"O'Neill", 5}, {"Griffin", 5}, {"Sharp", 5}, {"Hardy", 5}, {"Wheeler", 5}, {"Potter", 5}, {"Osborne", 5},
    {"Johnston", 5}, {"Gordon", 5}, {"Doyle", 5}, {"Wallace", 5}, {"George", 5}, {"Jordan", 5}, {"Hutchinson", 5},
    {"Rowe", 5}, {"Burke", 4}, {"May", 4}, {"Pritchard", 4}, {"Gilbert", 4}, {"Willis", 4}, {"Higgins", 4},
    {"Read", 4}, {"Miles", 4}, {"Stevenson", 4}, {"Stephenson", 4}, {"Hammond", 4}, {"Arnold", 4}, {"Buckley", 4},
    {"Walters", 4}, {"Hewitt", 4}, {"Barber", 4}, {"Nelson", 4}, {"Slater", 4}, {"Austin", 4}, {"Sullivan", 4},
    {"Whitehead", 4}, {"Mann", 4}, {"Frost", 4}, {"Lambert", 4}, {"Stephens", 4}, {"Blake", 4}, {"Akhtar", 2},
    {"Lynch", 4}, {"Goodwin", 4}, {"Barton", 4}, {"Woodward", 4}, {"Thomson", 4}, {"Cunningham", 4}, {"Quinn", 4},
    {"Barnett", 4}, {"Baxter", 4}, {"Bibi", 1}, {"Clayton", 4}, {"Nash", 4}, {"Greenwood", 4}, {"Jennings", 4},
    {"Holt", 4}, {"Kemp", 4}, {"Poole", 4}, {"Gallagher", 4}, {"Bond", 4}, {"Stokes", 4}, {"Tucker", 4},
    {"Davidson", 4}, {"Fowler", 4}, {"Heath", 4}, {"Norman", 4}, {"Middleton", 4}, {"Lawson", 4}, {"Banks", 4},
    {"French", 4}, {"Stanley", 4}, {"Jarvis", 4}, {"Gibbs", 4}, {"Ferguson", 4}, {"Hayward", 4}, {"Carroll", 4},
    {"Featherstonehaugh", 1}, {"Cholmondeley", 1}, {"Smyth", 2}, {"Smythe", 1}, {"Thompsett", 1}, {"Tomson", 1},
    {"MacDonald", 3}, {"McKenzie", 3}, {"MacKenzie", 2}, {"O'Sullivan", 3}, {"D'Souza", 1}, {"Le Roux", 1},
};

constexpr Variant kGivenVariants[] = {
    {"William", "Will"}, {"William", "Bill"}, {"William", "Billy"}, {"William", "Liam"}, {"Thomas", "Tom"},
    {"Thomas", "Tommy"}, {"James", "Jamie"}, {"James", "Jim"}, {"Joseph", "Joe"}, {"Joseph", "Joey"},
    {"Samuel", "Sam"}, {"Samuel", "Sammy"}, {"Alexander", "Alex"}, {"Alexander", "Xander"}, {"Benjamin", "Ben"},
    {"Benjamin", "Benji"}, {"Daniel", "Dan"}, {"Daniel", "Danny"}, {"Edward", "Ed"}, {"Edward", "Eddie"},
    {"Edward", "Ted"}, {"Frederick", "Fred"}, {"Frederick", "Freddie"}, {"Frederick", "Freddy"},
    {"Joshua", "Josh"}, {"Matthew", "Matt"}, {"Michael", "Mike"}, {"Michael", "Mikey"}, {"Richard", "Rich"},
    {"Robert", "Rob"}, {"Robert", "Bobby"}, {"Christopher", "Chris"}, {"Nathaniel", "Nathan"}, {"Nathaniel", "Nate"},
    {"Theodore", "Theo"}, {"Theodore", "Teddy"}, {"Harrison", "Harry"}, {"Henry", "Harry"}, {"Oliver", "Ollie"},
    {"Charles", "Charlie"}, {"Zachary", "Zach"}, {"Zachary", "Zac"}, {"Sebastian", "Seb"}, {"Jacob", "Jake"},
    {"Archibald", "Archie"}, {"Alfred", "Alfie"}, {"Stanley", "Stan"}, {"Reginald", "Reggie"}, {"Ronald", "Ronnie"},
    {"Leonardo", "Leo"}, {"Louis", "Louie"}, {"Elliott", "Elliot"}, {"Muhammad", "Mohammed"},
    {"Muhammad", "Mohammad"}, {"Muhammad", "Mohamed"}, {"Muhammad", "Muhammed"}, {"Mohammed", "Muhammad"},
    {"Mohamed", "Mohammed"}, {"Yusuf", "Yousef"}, {"Yusuf", "Yusef"}, {"Yusuf", "Yousuf"}, {"Ibrahim", "Ebrahim"},
    {"Ismail", "Ismael"}, {"Abdullah", "Abdulla"}, {"Zakariya", "Zakaria"}, {"Zakariya", "Zakariyya"},
    {"Hussain", "Hussein"}, {"Husain", "Hussain"}, {"Hasan", "Hassan"}, {"Ahmad", "Ahmed"}, {"Umar", "Omar"},
    {"Eesa", "Isa"}, {"Zayn", "Zain"}, {"Rayyan", "Raiyan"}, {"Ayaan", "Ayan"}, {"Mikail", "Mikael"},
    {"Katherine", "Kate"}, {"Katherine", "Katie"}, {"Elizabeth", "Beth"}, {"Elizabeth", "Lizzie"},
    {"Elizabeth", "Eliza"}, {"Margaret", "Maggie"}, {"Rebecca", "Becky"}, {"Abigail", "Abbie"}, {"Abigail", "Abby"},
    {"Victoria", "Vicky"}, {"Jennifer", "Jenny"}, {"Isabella", "Bella"}, {"Isabella", "Izzy"},
    {"Isabelle", "Izzy"}, {"Isabelle", "Isabel"}, {"Olivia", "Liv"}, {"Olivia", "Livvy"}, {"Amelia", "Millie"},
    {"Matilda", "Tilly"}, {"Charlotte", "Lottie"}, {"Charlotte", "Charlie"}, {"Eleanor", "Ellie"},
    {"Eleanor", "Nell"}, {"Harriet", "Hattie"}, {"Florence", "Flo"}, {"Penelope", "Penny"}, {"Arabella", "Bella"},
    {"Evelyn", "Evie"}, {"Alexandra", "Lexi"}, {"Gabriella", "Gabby"}, {"Jessica", "Jess"}, {"Samantha", "Sam"},
    {"Sophia", "Sofia"}, {"Sofia", "Sophia"}, {"Aisha", "Ayesha"}, {"Aisha", "Aysha"}, {"Maryam", "Mariam"},
    {"Maryam", "Mariyam"}, {"Fatima", "Fatimah"}, {"Zainab", "Zaynab"}, {"Khadija", "Khadijah"},
    {"Ruqayyah", "Ruqayah"}, {"Sumaya", "Sumaiya"}, {"Amina", "Aminah"}, {"Jakub", "Jacob"},
    {"Mikołaj", "Nicholas"}, {"Aleksander", "Alex"}, {"Oliwia", "Olivia"}, {"Zuzanna", "Zuza"},
    {"Wiktoria", "Victoria"}, {"Ștefan", "Stefan"}, {"Alexandru", "Alex"}, {"Ioana", "Joanna"},
    {"Oluwaseun", "Seun"}, {"Oluwatobi", "Tobi"}, {"Oluwatoyin", "Toyin"}, {"Temitope", "Tope"},
    {"Ayomide", "Ayo"}, {"Chiamaka", "Amaka"}, {"Oluwafunmilayo", "Funmi"}, {"Tobiloba", "Tobi"},
    {"Damilola", "Dami"}, {"Jesutofunmi", "Tofunmi"}, {"Inioluwa", "Ini"}, {"Kwabena", "Kobby"},
    {"Kwame", "Kwamey"}, {"Faduma", "Fadumo"}, {"Mohamed", "Maxamed"}, {"Abdirahman", "Abdi"},
};

constexpr Variant kSurnameVariants[] = {
    {"Hussain", "Hussein"}, {"Hussain", "Husain"}, {"Ahmed", "Ahmad"}, {"Rehman", "Rahman"}, {"Rahman", "Rehman"},
    {"Chaudhry", "Choudhury"}, {"Chaudhry", "Chaudhary"}, {"Choudhury", "Chowdhury"}, {"Chowdhury", "Choudhury"},
    {"Mohammed", "Muhammad"}, {"Mohamed", "Mohammed"}, {"Mohamud", "Mahmoud"}, {"Yousaf", "Yusuf"},
    {"Mahmood", "Mehmood"}, {"Mehmood", "Mahmood"}, {"Miah", "Mia"}, {"Hossain", "Hussain"}, {"Hoque", "Haque"},
    {"Siddique", "Siddiqui"}, {"Qureshi", "Quereshi"}, {"Uddin", "Udin"}, {"Islam", "Islaam"},
    {"O'Brien", "OBrien"}, {"O'Brien", "O Brien"}, {"O'Connor", "OConnor"}, {"O'Neill", "O'Neil"},
    {"O'Sullivan", "O Sullivan"}, {"McDonald", "MacDonald"}, {"McDonald", "Mc Donald"}, {"MacDonald", "McDonald"},
    {"McKenzie", "Mackenzie"}, {"D'Souza", "Dsouza"}, {"Le Roux", "Leroux"}, {"Smith", "Smyth"},
    {"Thompson", "Thomson"}, {"Clarke", "Clark"}, {"Clark", "Clarke"}, {"Wiśniewski", "Wisniewski"},
    {"Dąbrowski", "Dabrowski"}, {"Woźniak", "Wozniak"}, {"Kozłowski", "Kozlowski"}, {"Wójcik", "Wojcik"},
    {"Popescu", "Popesku"}, {"Lazăr", "Lazar"}, {"Wong", "Wang"}, {"Chan", "Chen"}, {"Cheung", "Chung"},
    {"Nwachukwu", "Nwachuku"}, {"Ogunleye", "Ogunlaye"}, {"Okonkwo", "Okonko"}, {"Osei", "Osei-Bonsu"},
};

constexpr Variant kNearIdenticalBoys[] = {
    {"Hasan", "Husain"}, {"Hassan", "Hussain"}, {"Jayden", "Kayden"}, {"Aiden", "Ayden"}, {"Eli", "Ali"},
    {"Ayaan", "Rayyan"}, {"Zayn", "Zain"}, {"Jaden", "Jadon"}, {"Jack", "Jake"}, {"Kacper", "Kasper"},
    {"Alfie", "Albie"}, {"Harry", "Harvey"}, {"Louie", "Lewis"}, {"Kai", "Kye"}, {"Leo", "Theo"},
    {"Ryan", "Rayan"}, {"Adam", "Adan"}, {"Arlo", "Arlen"}, {"Hamza", "Hamzah"}, {"Ibrahim", "Ibraheem"},
};
constexpr Variant kNearIdenticalGirls[] = {
    {"Amelia", "Amelie"}, {"Ella", "Ellie"}, {"Lily", "Lilly"}, {"Isabel", "Isabella"}, {"Isabelle", "Isobel"},
    {"Leah", "Lea"}, {"Mia", "Maya"}, {"Layla", "Leila"}, {"Rosie", "Roxie"}, {"Aisha", "Ayesha"},
    {"Mariam", "Maryam"}, {"Riley", "Rylee"}, {"Sophie", "Sophia"}, {"Lena", "Lina"}, {"Evie", "Eve"},
    {"Hana", "Hanna"}, {"Fatima", "Fatma"}, {"Zara", "Sara"}, {"Ama", "Ami"}, {"Kayla", "Kaylee"},
};

constexpr std::string_view kTailBoyHeads[] = {
    "Bray", "Jay", "Kay", "Ry", "Ty", "Cay", "Ja", "Bro", "Ro", "Ko", "Ma", "Le", "De", "Ar", "Al", "Fin", "Lan",
    "Bren", "Col", "Dar", "Ez", "Gr", "Hay", "Jax", "Ken", "Lo", "Mac", "Nix", "Ozz", "Ray", "Rem", "Sol", "Tre",
    "Zan", "Ash", "Bo", "Cor", "Dex", "El", "Har", "Kil", "Kor", "Mor", "Ned", "Os", "Rhy", "Ste", "Wil",
};
constexpr std::string_view kTailBoyEnds[] = {
    "den", "don", "lan", "lon", "son", "ley", "lee", "rick", "ton", "ce", "cer", "vin", "ric", "ius", "io", "an",
    "en", "ian", "iel", "ix", "ro", "die", "ny", "ton", "ston", "ford", "win", "ard", "mond", "rian", "ren", "ral",
};
constexpr std::string_view kTailGirlHeads[] = {
    "Ma", "Ka", "La", "Ja", "Bri", "Ay", "Ara", "Ari", "Li", "Ro", "Sa", "Ta", "De", "E", "Ne", "Bel", "Jo", "Le",
    "Ami", "Ana", "Bree", "Ca", "Da", "Eli", "Fa", "Gia", "Ha", "Is", "Ki", "Lu", "Mi", "Na", "Pa", "Ri", "Se",
    "Shi", "Te", "Va", "Xa", "Ya", "Za", "Ad", "Mar", "Kel", "Ros", "Sky",
};
constexpr std::string_view kTailGirlEnds[] = {
    "ya", "la", "na", "lee", "leigh", "lyn", "lynn", "nie", "sie", "cie", "ra", "rah", "nah", "lia", "mie", "zie",
    "cey", "sha", "ne", "nette", "lla", "ssa", "rina", "lie", "rys", "bella", "belle", "mae", "lou", "dee", "vie",
    "ah", "ia", "ella", "ine", "ette",
};
constexpr std::string_view kTailSurnameHeads[] = {
    "Ash", "Brad", "Craw", "Dun", "Ers", "Fair", "Gold", "Hart", "Ing", "Kel", "Lang", "Mar", "Nor", "Pem", "Rad",
    "Stan", "Thorn", "Up", "Wel", "Whit", "Bur", "Carl", "Dal", "Holt", "Al", "Bar", "Black", "Brook", "Cal",
    "Chil", "Clif", "Cot", "Dar", "Eg", "Fen", "Gar", "Green", "Hal", "Har", "Hay", "Hol", "Kirk", "Lid", "Lyn",
    "Mid", "Moor", "New", "Ol", "Pen", "Rams", "Red", "Rid", "Shel", "Sid", "Stock", "Sud", "Wal", "War", "Wes",
    "Win", "Wool", "Bram", "Cad", "Dray", "Grim", "Hux", "Mab", "Pick", "Sher", "Tat", "Bick", "Cog", "Fern",
};
constexpr std::string_view kTailSurnameEnds[] = {
    "ford", "ley", "ton", "well", "wood", "by", "field", "worth", "ham", "stone", "more", "bridge", "croft",
    "dale", "shaw", "wick", "burn", "combe", "hurst", "land", "mere", "son", "ridge", "thwaite", "ing", "er",
    "sley", "bury", "den", "don", "gate", "hill", "holme", "low", "stead", "ock", "cott", "ett", "ington",
};

// Postcode areas: letters, districts, weight (children, relative), community mix in order
// British, Caribbean, Pakistani, Bangladeshi, Gujarati, Punjabi, Nigerian, Ghanaian, Somali,
// Polish, Romanian, Chinese.
constexpr Area kAreas[] = {
    {"B", 40, 6.0f, {0.55f, 0.04f, 0.17f, 0.04f, 0.03f, 0.05f, 0.03f, 0.01f, 0.02f, 0.02f, 0.03f, 0.01f}},
    {"BD", 24, 2.0f, {0.60f, 0.01f, 0.30f, 0.03f, 0.01f, 0.01f, 0.00f, 0.00f, 0.00f, 0.02f, 0.02f, 0.00f}},
    {"LE", 19, 2.4f, {0.60f, 0.02f, 0.02f, 0.02f, 0.20f, 0.04f, 0.01f, 0.00f, 0.05f, 0.02f, 0.02f, 0.00f}},
    {"E", 18, 3.2f, {0.35f, 0.05f, 0.06f, 0.20f, 0.04f, 0.02f, 0.09f, 0.05f, 0.04f, 0.03f, 0.06f, 0.01f}},
    {"SE", 28, 3.5f, {0.50f, 0.09f, 0.02f, 0.01f, 0.01f, 0.01f, 0.14f, 0.07f, 0.02f, 0.03f, 0.03f, 0.02f}},
    {"M", 40, 4.0f, {0.62f, 0.03f, 0.13f, 0.03f, 0.01f, 0.01f, 0.04f, 0.01f, 0.05f, 0.03f, 0.03f, 0.02f}},
    {"L", 38, 2.8f, {0.88f, 0.01f, 0.01f, 0.00f, 0.00f, 0.00f, 0.02f, 0.00f, 0.03f, 0.02f, 0.01f, 0.02f}},
    {"LS", 29, 2.6f, {0.78f, 0.02f, 0.07f, 0.01f, 0.01f, 0.02f, 0.02f, 0.00f, 0.01f, 0.03f, 0.02f, 0.01f}},
    {"N", 22, 2.4f, {0.50f, 0.07f, 0.01f, 0.03f, 0.02f, 0.01f, 0.05f, 0.05f, 0.07f, 0.04f, 0.10f, 0.02f}},
    {"NW", 11, 2.0f, {0.52f, 0.05f, 0.04f, 0.01f, 0.06f, 0.01f, 0.03f, 0.02f, 0.10f, 0.06f, 0.08f, 0.02f}},
    {"PE", 38, 2.2f, {0.80f, 0.00f, 0.04f, 0.00f, 0.00f, 0.00f, 0.00f, 0.00f, 0.00f, 0.08f, 0.07f, 0.01f}},
    {"NG", 34, 2.4f, {0.80f, 0.04f, 0.05f, 0.00f, 0.01f, 0.02f, 0.02f, 0.01f, 0.00f, 0.03f, 0.02f, 0.00f}},
    {"CV", 37, 2.0f, {0.74f, 0.01f, 0.03f, 0.01f, 0.04f, 0.07f, 0.02f, 0.00f, 0.01f, 0.03f, 0.04f, 0.00f}},
    {"WV", 16, 1.3f, {0.66f, 0.05f, 0.01f, 0.00f, 0.02f, 0.17f, 0.01f, 0.00f, 0.00f, 0.04f, 0.04f, 0.00f}},
    {"UB", 11, 1.2f, {0.40f, 0.02f, 0.08f, 0.01f, 0.08f, 0.25f, 0.02f, 0.00f, 0.06f, 0.04f, 0.04f, 0.00f}},
    {"NE", 66, 3.0f, {0.91f, 0.00f, 0.02f, 0.02f, 0.00f, 0.00f, 0.01f, 0.00f, 0.00f, 0.02f, 0.01f, 0.01f}},
    {"S", 36, 2.8f, {0.82f, 0.01f, 0.07f, 0.00f, 0.00f, 0.00f, 0.01f, 0.00f, 0.04f, 0.02f, 0.02f, 0.01f}},
    {"EX", 39, 1.8f, {0.96f, 0.00f, 0.00f, 0.00f, 0.00f, 0.00f, 0.00f, 0.00f, 0.00f, 0.02f, 0.01f, 0.01f}},
    {"TN", 40, 2.0f, {0.94f, 0.01f, 0.00f, 0.00f, 0.00f, 0.01f, 0.01f, 0.00f, 0.00f, 0.02f, 0.01f, 0.00f}},
    {"YO", 26, 1.4f, {0.97f, 0.00f, 0.00f, 0.00f, 0.00f, 0.00f, 0.00f, 0.00f, 0.00f, 0.02f, 0.01f, 0.00f}},
    {"OX", 29, 1.6f, {0.83f, 0.02f, 0.04f, 0.01f, 0.01f, 0.01f, 0.02f, 0.00f, 0.00f, 0.03f, 0.02f, 0.01f}},
    {"BS", 41, 2.6f, {0.82f, 0.03f, 0.02f, 0.01f, 0.01f, 0.01f, 0.01f, 0.00f, 0.05f, 0.02f, 0.01f, 0.01f}},
    {"LU", 7, 1.0f, {0.50f, 0.04f, 0.22f, 0.07f, 0.02f, 0.01f, 0.02f, 0.00f, 0.02f, 0.04f, 0.06f, 0.00f}},
    {"HA", 9, 1.2f, {0.40f, 0.03f, 0.04f, 0.01f, 0.25f, 0.03f, 0.02f, 0.01f, 0.05f, 0.03f, 0.13f, 0.00f}},
    {"SL", 9, 0.8f, {0.50f, 0.02f, 0.20f, 0.01f, 0.04f, 0.12f, 0.02f, 0.00f, 0.02f, 0.04f, 0.03f, 0.00f}},
    {"OL", 16, 1.0f, {0.72f, 0.00f, 0.14f, 0.11f, 0.00f, 0.00f, 0.00f, 0.00f, 0.00f, 0.02f, 0.01f, 0.00f}},
    {"BB", 12, 1.0f, {0.70f, 0.00f, 0.12f, 0.00f, 0.15f, 0.00f, 0.00f, 0.00f, 0.00f, 0.02f, 0.01f, 0.00f}},
    {"CM", 24, 1.8f, {0.93f, 0.01f, 0.00f, 0.00f, 0.01f, 0.00f, 0.01f, 0.00f, 0.00f, 0.02f, 0.02f, 0.00f}},
    {"DN", 41, 1.8f, {0.90f, 0.00f, 0.01f, 0.00f, 0.00f, 0.00f, 0.00f, 0.00f, 0.00f, 0.05f, 0.03f, 0.01f}},
    {"HU", 20, 1.2f, {0.90f, 0.00f, 0.00f, 0.00f, 0.00f, 0.00f, 0.01f, 0.00f, 0.00f, 0.05f, 0.03f, 0.01f}},
    {"RG", 45, 2.0f, {0.78f, 0.03f, 0.06f, 0.00f, 0.02f, 0.02f, 0.02f, 0.02f, 0.00f, 0.03f, 0.02f, 0.00f}},
    {"CB", 11, 1.0f, {0.86f, 0.01f, 0.01f, 0.01f, 0.01f, 0.00f, 0.01f, 0.00f, 0.00f, 0.04f, 0.02f, 0.03f}},
    {"PL", 35, 1.3f, {0.96f, 0.00f, 0.00f, 0.00f, 0.00f, 0.00f, 0.00f, 0.00f, 0.00f, 0.02f, 0.01f, 0.01f}},
    {"SO", 45, 1.6f, {0.90f, 0.01f, 0.01f, 0.00f, 0.01f, 0.02f, 0.01f, 0.00f, 0.00f, 0.03f, 0.01f, 0.00f}},
    {"ST", 21, 1.6f, {0.88f, 0.01f, 0.07f, 0.00f, 0.00f, 0.00f, 0.00f, 0.00f, 0.00f, 0.02f, 0.02f, 0.00f}},
    {"DE", 75, 1.8f, {0.87f, 0.02f, 0.05f, 0.00f, 0.01f, 0.02f, 0.00f, 0.00f, 0.00f, 0.02f, 0.01f, 0.00f}},
    {"GL", 56, 1.4f, {0.92f, 0.02f, 0.00f, 0.00f, 0.01f, 0.00f, 0.01f, 0.00f, 0.00f, 0.03f, 0.01f, 0.00f}},
    {"HD", 9, 0.8f, {0.78f, 0.02f, 0.14f, 0.00f, 0.02f, 0.00f, 0.00f, 0.00f, 0.00f, 0.02f, 0.02f, 0.00f}},
    {"SW", 20, 2.4f, {0.55f, 0.08f, 0.04f, 0.01f, 0.03f, 0.01f, 0.06f, 0.04f, 0.05f, 0.06f, 0.04f, 0.03f}},
    {"W", 14, 1.4f, {0.50f, 0.06f, 0.03f, 0.04f, 0.04f, 0.03f, 0.03f, 0.01f, 0.10f, 0.08f, 0.05f, 0.03f}},
};

constexpr std::string_view kStreetNames[] = {
    "High", "Station", "Church", "Victoria", "Park", "Green", "Manor", "Mill", "Queens", "Kings", "New", "School",
    "Grange", "North", "South", "West", "Albert", "London", "Springfield", "Windsor", "Highfield", "Orchard",
    "Chestnut", "Beech", "Oak", "Elm", "Willow", "Cedar", "Alexandra", "York", "Stanley", "George", "Mount",
    "Richmond", "Broadway", "Meadow", "Brook", "Forest", "Hawthorn", "Ash", "Clarence", "Grove", "Lime", "Maple",
    "Moor", "Nelson", "Osborne", "Princes", "Rectory", "Shakespeare", "Tennyson", "Vicarage", "Wellington",
    "Woodland", "Cromwell", "Derby", "Farm", "Heath", "Hillside", "Lansdowne", "Marlborough", "Milton",
};
constexpr std::string_view kStreetTypes[] = {"Street", "Road", "Lane", "Avenue", "Close", "Drive", "Way", "Gardens",
                                             "Crescent", "Terrace", "Place", "Grove"};

// clang-format on

template <typename T, size_t N>
constexpr std::span<const T> Span(const T (&a)[N]) {
  return std::span<const T>(a, N);
}

const Community kCommunities[kCommunityCount] = {
    {.id = "british",
     .tail_given_share = 0.45,
     .tail_surname_share = 0.55},
    {.id = "caribbean",
     .boys = Span(kCaribbeanBoys),
     .girls = Span(kCaribbeanGirls),
     .surnames = Span(kCaribbeanSurnames),
     .tail_given_share = 0.45,
     .tail_surname_share = 0.25},
    {.id = "pakistani",
     .boys = Span(kPakistaniBoys),
     .girls = Span(kPakistaniGirls),
     .surnames = Span(kPakistaniSurnames),
     .devotional_first_share = 0.40,
     .devotional_names = Span(kMuslimDevotional),
     .girls_surname_share = 0.12,
     .girls_surnames = Span(kPakistaniGirlsSurnames),
     .first_of_january_share = 0.02,
     .tail_given_share = 0.10},
    {.id = "bangladeshi",
     .boys = Span(kBangladeshiBoys),
     .girls = Span(kBangladeshiGirls),
     .surnames = Span(kBangladeshiSurnames),
     .devotional_first_share = 0.35,
     .devotional_names = Span(kBangladeshiDevotional),
     .girls_surname_share = 0.30,
     .girls_surnames = Span(kBangladeshiGirlsSurnames),
     .first_of_january_share = 0.02,
     .tail_given_share = 0.10},
    {.id = "gujarati",
     .boys = Span(kGujaratiBoys),
     .girls = Span(kGujaratiGirls),
     .surnames = Span(kGujaratiSurnames),
     .tail_given_share = 0.10},
    {.id = "punjabi",
     .boys = Span(kPunjabiBoys),
     .girls = Span(kPunjabiGirls),
     .surnames = Span(kPunjabiSurnames),
     .girls_surname_share = 0.55,
     .girls_surnames = Span(kPunjabiGirlsSurnames),
     .boys_surname_share = 0.55,
     .boys_surnames = Span(kPunjabiBoysSurnames),
     .tail_given_share = 0.10},
    {.id = "nigerian",
     .boys = Span(kNigerianBoys),
     .girls = Span(kNigerianGirls),
     .surnames = Span(kNigerianSurnames),
     .heritage_middle_share = 0.6,
     .heritage_boys = Span(kYorubaIgboBoys),
     .heritage_girls = Span(kYorubaIgboGirls),
     .first_of_january_share = 0.01,
     .tail_given_share = 0.05},
    {.id = "ghanaian",
     .boys = Span(kGhanaianBoys),
     .girls = Span(kGhanaianGirls),
     .surnames = Span(kGhanaianSurnames),
     .first_of_january_share = 0.01,
     .tail_given_share = 0.05},
    {.id = "somali",
     .boys = Span(kSomaliBoys),
     .girls = Span(kSomaliGirls),
     .surnames = Span(kSomaliSurnames),
     .first_of_january_share = 0.08,
     .tail_given_share = 0.03},
    {.id = "polish",
     .boys = Span(kPolishBoys),
     .girls = Span(kPolishGirls),
     .surnames = Span(kPolishSurnames),
     .gendered_surnames = true,
     .tail_given_share = 0.05,
     .tail_surname_share = 0.0},
    {.id = "romanian",
     .boys = Span(kRomanianBoys),
     .girls = Span(kRomanianGirls),
     .surnames = Span(kRomanianSurnames),
     .first_of_january_share = 0.01,
     .tail_given_share = 0.05},
    {.id = "chinese",
     .boys = Span(kChineseBoys),
     .girls = Span(kChineseGirls),
     .surnames = Span(kChineseSurnames),
     .name_order_swap = 0.15,
     .tail_given_share = 0.05},
};

}  // namespace

std::span<const WeightedName> BritishBoys(int anchor) {
  return anchor == 0 ? Span(kBoys2008) : anchor == 1 ? Span(kBoys2015) : Span(kBoys2023);
}
std::span<const WeightedName> BritishGirls(int anchor) {
  return anchor == 0 ? Span(kGirls2008) : anchor == 1 ? Span(kGirls2015) : Span(kGirls2023);
}
const Community& CommunityData(CommunityId id) { return kCommunities[id]; }
std::span<const WeightedName> BritishSurnames() { return Span(kBritishSurnames); }
std::span<const Variant> GivenVariants() { return Span(kGivenVariants); }
std::span<const Variant> SurnameVariants() { return Span(kSurnameVariants); }
std::span<const Variant> NearIdenticalTwinNames(char sex) {
  return sex == 'M' ? Span(kNearIdenticalBoys) : Span(kNearIdenticalGirls);
}
std::span<const std::string_view> TailBoyHeads() { return Span(kTailBoyHeads); }
std::span<const std::string_view> TailBoyEnds() { return Span(kTailBoyEnds); }
std::span<const std::string_view> TailGirlHeads() { return Span(kTailGirlHeads); }
std::span<const std::string_view> TailGirlEnds() { return Span(kTailGirlEnds); }
std::span<const std::string_view> TailSurnameHeads() { return Span(kTailSurnameHeads); }
std::span<const std::string_view> TailSurnameEnds() { return Span(kTailSurnameEnds); }
std::span<const Area> Areas() { return Span(kAreas); }
std::span<const std::string_view> StreetNames() { return Span(kStreetNames); }
std::span<const std::string_view> StreetTypes() { return Span(kStreetTypes); }

}  // namespace kith::linkage::population_data
